"""Tests of `csc_analysis.annexa_lists`: the eleven Ofsted Annex A lists as data, checked for consistency."""

import pytest

from csc_analysis.annexa_lists import CODES, LISTS
from csc_analysis.localdata import heading_key

# /work/shared/data/ANNEX_A.md (and Ofsted's ILACS Annex A): the lists and their contents.
LABELS = {
    1: "contacts",
    2: "early help assessments",
    3: "referrals",
    4: "assessments",
    5: "section 47 enquiries and ICPCs",
    6: "children in need",
    7: "child protection plans",
    8: "children looked after",
    9: "care leavers",
    10: "adoption",
    11: "adopters",
}

# The 2024 template's heading (ANNEX_A.md, "Full column lists") of each column read from Lists 1-10.
TEMPLATE = {
    "contacts": {"child_id": "Child Unique ID", "contact_date": "Date of Contact", "source": "Contact Source"},
    "early_help": {
        "child_id": "Child Unique ID",
        "eh_start": "Assessment start date",
        "eh_end": "Assessment completion date",
        "organisation": "Organisation completing assessment",
    },
    "referrals": {
        "child_id": "Child Unique ID",
        "referral_date": "Date of referral",
        "source": "Referral Source",
        "nfa": "Referral NFA?",
        "previous": "Number of Referrals in Last 12 Months",
    },
    "assessments": {
        "child_id": "Child Unique ID",
        "start": "Continuous Assessment Start Date",
        "authorised": "Continuous Assessment Date of Authorisation",
        "needs_support": "Was the child assessed as requiring LA children's social care support?",
    },
    "s47": {
        "child_id": "Child Unique ID",
        "strategy_date": "Strategy discussion initiating Section 47 Enquiry Start Date",
        "icpc_unnecessary": "Was an Initial Child Protection Conference deemed unnecessary?",
        "icpc_date": "Date of Initial Child Protection Conference",
        "icpc_cpp": "Did the Initial Child Protection Conference Result in a Child Protection Plan",
    },
    "cin": {
        "child_id": "Child Unique ID",
        "cin_start": "CIN Start Date",
        "need": "Primary Need Code",
        "cin_end": "CIN Closure Date",
    },
    "cp": {
        "child_id": "Child Unique ID",
        "cpp_start": "Child Protection Plan Start Date",
        "last_visit": "Date of the Last Statutory Visit",
        "last_review": "Date of latest review conference",
        "cpp_end": "Child Protection Plan End Date",
    },
    "cla": {
        "child_id": "Child Unique ID",
        "age": "Age of Child (Years)",
        "cla_start": "Date Started to be Looked After",
        "legal_status": "Child's Legal Status",
        "last_review": "Date of Latest Statutory Review",
        "last_visit": "Date of Last Social Work Visit",
        "last_health": "Date of Last Health Assessment",
        "cla_end": "Date Ceased to be Looked After",
    },
    "care_leavers": {
        "child_id": "Child Unique ID",
        "in_touch": "LA in Touch",
        "last_contact": "Latest Date of Contact",
        "accommodation": "Type of Accommodation",
        "suitable": "Suitability of Accommodation",
        "activity": "Activity Status",
    },
    "adoption": {
        "child_id": "Child Unique ID",
        "entered_care": "Date the Child Entered Care",
        "decision": "Date of Decision that Child Should be Placed for Adoption",
        "placement_order": "Date of Placement Order",
        "matched": "Date of Matching Child and Prospective Adopters",
        "placed": "Date Placed for Adoption",
        "adoption_order": "Date of Adoption Order",
    },
}


def test_the_eleven_lists_with_their_numbers_and_titles():
    assert {spec.number: spec.label for spec in LISTS.values()} == LABELS
    assert len(LISTS) == 11
    assert LISTS["referrals"].title == "List 3 (referrals)"
    assert LISTS["s47"].title == "List 5 (section 47 enquiries and ICPCs)"


@pytest.mark.parametrize("kind", LISTS)
def test_a_list_refers_only_to_its_own_columns(kind):
    spec = LISTS[kind]
    columns = set(spec.columns)
    assert spec.signature and set(spec.signature) <= columns
    assert set(spec.dates) <= columns
    assert spec.required_date is None or spec.required_date in spec.dates
    # A duplicate is a second row for the same child (or adopter): the key holds the ID column.
    assert set(spec.key) <= columns and spec.id_column in spec.key
    assert spec.id_column in columns
    for start, end in spec.spans:
        assert start in spec.dates and end in spec.dates and start != end
    for column, code_list in spec.codes.items():
        assert column in columns and code_list in CODES
    assert all(heads for heads in spec.columns.values())  # every column has at least one heading


@pytest.mark.parametrize("kind", LISTS)
def test_no_heading_is_read_as_two_columns_of_a_list(kind):
    # Headings are compared without case, punctuation or spacing: two columns sharing a key would be ambiguous.
    owner: dict[str, str] = {}
    for column, heads in LISTS[kind].columns.items():
        for head in heads:
            assert owner.setdefault(heading_key(head), column) == column, (head, column, owner[heading_key(head)])


@pytest.mark.parametrize("kind", TEMPLATE)
def test_the_template_s_heading_comes_first(kind):
    spec = LISTS[kind]
    assert {column: spec.columns[column][0] for column in TEMPLATE[kind]} == TEMPLATE[kind]
    assert set(spec.dates) <= set(TEMPLATE[kind])  # every date read is one the template has


def test_a_list_s_headings_never_make_up_another_list_s_signature():
    """A sheet holding every heading one list knows is not also taken for another list."""
    for kind, spec in LISTS.items():
        keys = {heading_key(head) for heads in spec.columns.values() for head in heads}
        for other, other_spec in LISTS.items():
            found = {c for c, heads in other_spec.columns.items() if any(heading_key(h) in keys for h in heads)}
            assert other == kind or not set(other_spec.signature) <= found, (kind, other)


@pytest.mark.parametrize(
    "heading", ["Date of Birth", "Placement postcode", "Allocated Worker", "Allocated Personal Advisor", "Child Name"]
)
def test_personal_details_are_never_read(heading):
    """Names, dates of birth, postcodes and workers never leave the reader: no list has a column for them."""
    for spec in LISTS.values():
        assert all(heading_key(heading) != heading_key(h) for heads in spec.columns.values() for h in heads)


def test_yes_no_codes():
    # ANNEX_A.md: "a) Yes, b) No, c) Unknown, or bare Yes/No/Y/N"; codes are compared in capitals without the prefix.
    assert CODES["yes_no"] == {"YES", "NO", "UNKNOWN", "Y", "N"}
