"""The load benchmark's small version against the running app: 4 users × 5 mixed requests, zero errors."""

from benchmarks.load import run


def test_four_users_five_requests_each_without_errors(running_app):
    url, _ = running_app
    report = run(users=4, requests=5, deadline_s=240, url=url)
    assert report["errors"] == 0 and report["missing"] == 0, report
    assert sum(v["requests"] for v in report["endpoints"].values()) == 20
    assert all(v["requests"] >= 5 and v["p95_s"] is not None for v in report["endpoints"].values()), report
