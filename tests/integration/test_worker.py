"""A real worker consumes tasks: on the embedded broker in `make test`, on Redis in CI."""

import pytest

from core.models import WorkerHeartbeat
from core.tasks import heartbeat

pytestmark = pytest.mark.worker


def test_worker_announces_itself_at_start_up(live_worker):
    # The worker queues a heartbeat to itself when ready: proof, without any sender, that it consumes.
    assert live_worker.wait_for(
        lambda: WorkerHeartbeat.objects.filter(hostname=live_worker.hostname, last_source="startup").exists()
    ), live_worker.log.read_text()[-3000:]


def test_task_sent_by_the_application_is_consumed_once(live_worker, client):
    live_worker.wait_for(lambda: WorkerHeartbeat.objects.filter(hostname=live_worker.hostname).exists())
    before = WorkerHeartbeat.objects.get(hostname=live_worker.hostname).beats

    heartbeat.apply_async(kwargs={"source": "test"}, queue=live_worker.queue)

    def consumed():
        beat = WorkerHeartbeat.objects.get(hostname=live_worker.hostname)
        return beat.last_source == "test"

    assert live_worker.wait_for(consumed), live_worker.log.read_text()[-3000:]
    assert WorkerHeartbeat.objects.get(hostname=live_worker.hostname).beats == before + 1
    health = client.get("/health/?format=json").json()
    assert health == {**health, "ok": True, "database": True, "worker": True}
