"""The seed's rules as plain functions (server_stub.rules), tested directly."""

from __future__ import annotations

import pytest

from server_stub import rules
from server_stub.demo_work import fictitious_bsns, is_valid_bsn

ORG, OTHER_ORG = "org-a", "org-b"


def viewer(user_id="u-x", role="medewerker", organisation_id=ORG, teams=(), case_types=()):
    return rules.Viewer(user_id, role, organisation_id, frozenset(teams), frozenset(case_types))


def case(status="open", coordinator="u-coord", supporters=("u-sup",), case_type="ct-1"):
    return rules.CaseFacts(ORG, case_type, status, coordinator, frozenset(supporters))


def allowed(caps, action):
    return caps[action]["allowed"], caps[action]["reason"]


@pytest.mark.parametrize("member", ["u-coord", "u-sup"])
def test_coordinator_and_supporters_edit_an_open_case_seed_C5_C7(member):
    caps = rules.case_capabilities(viewer(member), case())
    for action in rules.MEMBER_EDIT_ACTIONS + ("read", "read_closed_steps"):
        assert allowed(caps, action) == (True, None), action


def test_supporter_may_change_the_coordinator_seed_C3():
    assert allowed(rules.case_capabilities(viewer("u-sup"), case()), "change_coordinator") == (True, None)


def test_non_member_cannot_edit_or_take_over_case_seed_C5_C8():
    caps = rules.case_capabilities(viewer("u-stranger", case_types={"ct-1"}), case())
    for action in rules.MEMBER_EDIT_ACTIONS + ("read",):
        assert allowed(caps, action) == (False, "not-case-member"), action
    assert allowed(caps, "admin_replace_coordinator") == (False, "admin-only")


def test_case_type_authorised_user_reads_closed_steps_only_seed_C6():
    authorised = rules.case_capabilities(viewer("u-other", case_types={"ct-1"}), case())
    assert allowed(authorised, "read_closed_steps") == (True, None)
    assert allowed(authorised, "read") == (False, "not-case-member")
    unauthorised = rules.case_capabilities(viewer("u-other", case_types={"ct-2"}), case())
    assert allowed(unauthorised, "read_closed_steps") == (False, "not-authorised-for-case-type")
    other_org = rules.case_capabilities(viewer("u-other", organisation_id=OTHER_ORG, case_types={"ct-1"}), case())
    assert allowed(other_org, "read_closed_steps") == (False, "not-authorised-for-case-type")


def test_closed_case_accepts_no_edits_and_is_never_deleted_seed_D3():
    caps = rules.case_capabilities(viewer("u-coord"), case(status="closed"))
    for action in rules.MEMBER_EDIT_ACTIONS:
        assert allowed(caps, action) == (False, "case-closed"), action
    assert allowed(caps, "read") == (True, None)
    for status in ("open", "closed"):
        caps = rules.case_capabilities(viewer("u-coord", role="helpdesk"), case(status=status))
        assert allowed(caps, "delete") == (False, "case-delete-not-possible")


def test_only_admins_of_the_organisation_replace_a_coordinator():
    assert allowed(rules.case_capabilities(viewer(role="lokaal_beheerder"), case()), "admin_replace_coordinator") == (
        True,
        None,
    )
    assert allowed(
        rules.case_capabilities(viewer(role="lokaal_beheerder", organisation_id=OTHER_ORG), case()),
        "admin_replace_coordinator",
    ) == (False, "admin-only")
    assert allowed(
        rules.case_capabilities(viewer(role="helpdesk", organisation_id=OTHER_ORG), case()), "admin_replace_coordinator"
    ) == (True, None)
    assert allowed(rules.case_capabilities(viewer(role="superuser"), case()), "admin_replace_coordinator") == (
        False,
        "admin-only",
    )
    assert allowed(
        rules.case_capabilities(viewer(role="helpdesk"), case(status="closed")), "admin_replace_coordinator"
    ) == (False, "case-closed")


def task(status="queued", assignee=None, team="team-1"):
    return rules.TaskFacts(status, assignee, team)


def test_queued_task_is_picked_up_by_team_members_only_seed_T4():
    member = viewer("u-m", teams={"team-1"})
    assert allowed(rules.task_capabilities(member, task(), case()), "pickup") == (True, None)
    outsider = viewer("u-o", teams={"team-2"})
    assert allowed(rules.task_capabilities(outsider, task(), case()), "pickup") == (False, "not-team-member")
    held = task("assigned", assignee="u-other")
    assert allowed(rules.task_capabilities(member, held, case()), "pickup") == (False, "task-held-by-other")


def test_holder_releases_or_completes_others_cannot_seed_T4_T5():
    holder = viewer("u-h", teams={"team-1"})
    held = task("assigned", assignee="u-h")
    caps = rules.task_capabilities(holder, held, case())
    assert allowed(caps, "release") == (True, None)
    assert allowed(caps, "complete") == (True, None)
    assert allowed(caps, "forward") == (True, None)
    caps = rules.task_capabilities(viewer("u-m", teams={"team-1"}), held, case())
    assert allowed(caps, "release") == (False, "not-task-holder")
    assert allowed(caps, "complete") == (False, "not-task-holder")
    assert allowed(caps, "forward") == (False, "not-task-holder")
    direct = task("assigned", assignee="u-h", team=None)
    assert allowed(rules.task_capabilities(holder, direct, case()), "release") == (False, "no-team-queue")


def test_team_member_may_forward_a_queued_task_seed_T2_T5():
    caps = rules.task_capabilities(viewer("u-m", teams={"team-1"}), task(), case())
    assert allowed(caps, "forward") == (True, None)


def test_completed_task_and_closed_case_take_no_more_work():
    for action, decision in rules.task_capabilities(viewer("u-coord"), task("completed", "u-coord"), case()).items():
        assert decision == {"allowed": False, "reason": "task-completed"}, action
    for action, decision in rules.task_capabilities(
        viewer("u-coord", teams={"team-1"}), task(), case("closed")
    ).items():
        assert decision == {"allowed": False, "reason": "case-closed"}, action


def test_task_visibility_follows_holder_queue_and_case_membership():
    queued = task()
    assert rules.may_see_task("u-m", frozenset({"team-1"}), queued, case())
    assert not rules.may_see_task("u-m", frozenset({"team-2"}), queued, case())
    assert rules.may_see_task("u-sup", frozenset(), queued, case())
    taken = task("assigned", assignee="u-other")
    assert not rules.may_see_task("u-m", frozenset({"team-1"}), taken, case())
    assert rules.may_see_task("u-other", frozenset(), taken, case())


def test_group_delete_only_by_admin_and_only_when_empty_seed_D1_D2():
    assert rules.group_delete_refusal(viewer(role="medewerker"), ORG, 0) == "admin-only"
    assert rules.group_delete_refusal(viewer(role="superuser"), ORG, 0) == "admin-only"
    assert (
        rules.group_delete_refusal(viewer(role="lokaal_beheerder", organisation_id=OTHER_ORG), ORG, 0) == "admin-only"
    )
    assert rules.group_delete_refusal(viewer(role="lokaal_beheerder"), ORG, 3) == "group-not-empty"
    assert rules.group_delete_refusal(viewer(role="lokaal_beheerder"), ORG, 0) is None
    assert rules.group_delete_refusal(viewer(role="helpdesk", organisation_id=OTHER_ORG), ORG, 0) is None


def test_outcomes_include_administrative_error_seed_D3():
    assert rules.valid_outcome("administratieve_fout")
    assert not rules.valid_outcome("verwijderd")
    assert not rules.valid_outcome(None)


def test_demo_citizen_numbers_pass_the_11_proef_and_are_test_numbers():
    numbers = [n for n, _ in zip(fictitious_bsns(), range(2000))]
    assert len(set(numbers)) == len(numbers)
    assert all(is_valid_bsn(n) and n.startswith("999") for n in numbers)
    assert not is_valid_bsn("123456789")
    assert is_valid_bsn("999990019")
