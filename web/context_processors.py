from notifications.selectors import unread_items


def notifications(request):
    """The count of list items with unread news in the navigation of every page (lazily: only pages
    that show it query it)."""
    user = getattr(request, "user", None)
    return {"unread_notifications": lambda: unread_items(user)}


def roles(request):
    """The user's roles, for the navigation (lazily, cached for the request)."""
    from django.utils.functional import SimpleLazyObject

    from accounts.roles import roles_of

    user = getattr(request, "user", None)
    return {
        "user_roles": SimpleLazyObject(
            lambda: {r.value for r in roles_of(user)} if user is not None and user.is_authenticated else set()
        )
    }
