from .access_log import SensitiveDataAccess
from .artisan import Artisan, Craft, PriorTitle, Title, sealed_fields
from .attachment import Attachment
from .conferral import Conferral
from .consent import ConsentRecord
from .dossier import Award, CraftPeriod, Dossier, DossierCodeCounter, TraineeRecord, Work
from .nominee_import import NomineeImport
from .registry_import import RegistryImport
from .round import Round, RoundMilestone
from .rulebook import Confidence, RoundRuleOverride, RulebookVersion, RuleParameter
from .state import LIVE_STATES, TERMINAL_STATES, DossierState

__all__ = [
    "LIVE_STATES",
    "TERMINAL_STATES",
    "Artisan",
    "Attachment",
    "Award",
    "Conferral",
    "Confidence",
    "ConsentRecord",
    "Craft",
    "CraftPeriod",
    "Dossier",
    "DossierCodeCounter",
    "DossierState",
    "NomineeImport",
    "PriorTitle",
    "RegistryImport",
    "Round",
    "RoundMilestone",
    "RoundRuleOverride",
    "RuleParameter",
    "RulebookVersion",
    "SensitiveDataAccess",
    "Title",
    "TraineeRecord",
    "Work",
    "sealed_fields",
]
