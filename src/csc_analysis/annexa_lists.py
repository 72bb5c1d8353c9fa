"""The eleven Ofsted Annex A lists as data: columns, heading variants, natural keys and code lists.

A list is recognised by its columns (`SIGNATURE`), never by its sheet or file name. Each column
has a canonical name (used in code) and the headings seen in exports, compared without case,
punctuation or spacing (`localdata.heading_key`). Only the columns an indicator or a check needs
are kept: names, dates of birth, postcodes and workers never leave the reader.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ListSpec:
    """One Annex A list: what it holds and how to read it."""

    number: int
    label: str
    columns: dict[str, list[str]]  # canonical name -> accepted headings (first is the template's)
    signature: list[str]  # canonical columns whose presence identifies the list
    dates: list[str]  # date columns (row excluded if one is not a date or implausible)
    required_date: str | None  # the date a row cannot be used without
    key: list[str]  # natural key: a second row with the same key is a duplicate
    spans: list[tuple[str, str]] = field(default_factory=list)  # (start, end): end before start excluded
    codes: dict[str, str] = field(default_factory=dict)  # column -> code list name in CODES
    id_column: str = "child_id"

    @property
    def title(self) -> str:
        return f"List {self.number} ({self.label})"


CHILD_ID = ["Child Unique ID", "Child ID", "Unique ID", "Person ID", "Child Unique Identifier", "ID"]
AGE = ["Age of Child (Years)", "Age", "Age of child"]

# Code lists (a letter prefix such as "a) " or a label such as "N1 - Abuse or neglect" is removed first),
# checked only in the columns an indicator uses, so an unusual code elsewhere never costs a row.
CODES = {
    "yes_no": {"YES", "NO", "Y", "N", "UNKNOWN"},
}

LISTS: dict[str, ListSpec] = {
    "contacts": ListSpec(
        1,
        "contacts",
        {
            "child_id": CHILD_ID,
            "contact_date": ["Date of Contact", "Contact Date", "Date contact received"],
            "source": ["Contact Source", "Source of Contact"],
        },
        ["contact_date"],
        ["contact_date"],
        "contact_date",
        ["child_id", "contact_date"],
    ),
    "early_help": ListSpec(
        2,
        "early help assessments",
        {
            "child_id": CHILD_ID,
            "eh_start": ["Assessment start date", "Early Help Assessment Start Date"],
            "eh_end": ["Assessment completion date", "Early Help Assessment Completion Date"],
            "organisation": ["Organisation completing assessment"],
        },
        ["eh_start", "organisation"],
        ["eh_start", "eh_end"],
        "eh_start",
        ["child_id", "eh_start"],
        spans=[("eh_start", "eh_end")],
    ),
    "referrals": ListSpec(
        3,
        "referrals",
        {
            "child_id": CHILD_ID,
            "referral_date": ["Date of referral", "Referral date", "Date referral received"],
            "source": ["Referral Source", "Source of Referral"],
            "nfa": ["Referral NFA?", "Referral NFA", "NFA"],
            "previous": ["Number of Referrals in Last 12 Months", "Number of previous referrals in last 12 months"],
        },
        ["referral_date"],
        ["referral_date"],
        "referral_date",
        ["child_id", "referral_date"],
        codes={"nfa": "yes_no"},
    ),
    "assessments": ListSpec(
        4,
        "assessments",
        {
            "child_id": CHILD_ID,
            "start": ["Continuous Assessment Start Date", "Assessment Start Date (Continuous)"],
            "authorised": [
                "Continuous Assessment Date of Authorisation",
                "Continuous Assessment Authorisation Date",
                "Date of Authorisation",
                "Assessment Authorisation Date",
            ],
            "needs_support": ["Was the child assessed as requiring LA children's social care support?"],
        },
        ["start"],
        ["start", "authorised"],
        "start",
        ["child_id", "start"],
        spans=[("start", "authorised")],
        codes={"needs_support": "yes_no"},
    ),
    "s47": ListSpec(
        5,
        "section 47 enquiries and ICPCs",
        {
            "child_id": CHILD_ID,
            "strategy_date": [
                "Strategy discussion initiating Section 47 Enquiry Start Date",
                "Section 47 Enquiry Start Date",
                "Strategy Discussion Date",
                "S47 Start Date",
            ],
            "icpc_unnecessary": ["Was an Initial Child Protection Conference deemed unnecessary?"],
            "icpc_date": [
                "Date of Initial Child Protection Conference",
                "Initial Child Protection Conference Date",
                "ICPC Date",
            ],
            "icpc_cpp": ["Did the Initial Child Protection Conference Result in a Child Protection Plan"],
        },
        ["strategy_date"],
        ["strategy_date", "icpc_date"],
        "strategy_date",
        ["child_id", "strategy_date"],
        spans=[("strategy_date", "icpc_date")],
        codes={"icpc_unnecessary": "yes_no", "icpc_cpp": "yes_no"},
    ),
    "cin": ListSpec(
        6,
        "children in need",
        {
            "child_id": CHILD_ID,
            "cin_start": ["CIN Start Date", "Child in Need Start Date"],
            "need": ["Primary Need Code", "Primary Need"],
            "cin_end": ["CIN Closure Date", "CIN End Date"],
        },
        ["cin_start"],
        ["cin_start", "cin_end"],
        "cin_start",
        ["child_id", "cin_start"],
        spans=[("cin_start", "cin_end")],
    ),
    "cp": ListSpec(
        7,
        "child protection plans",
        {
            "child_id": CHILD_ID,
            "cpp_start": ["Child Protection Plan Start Date", "CP Plan Start Date", "CPP Start Date"],
            "last_visit": ["Date of the Last Statutory Visit", "Date of Last Statutory Visit"],
            "last_review": ["Date of latest review conference", "Date of Last Review Conference"],
            "cpp_end": ["Child Protection Plan End Date", "CP Plan End Date", "CPP End Date"],
        },
        ["cpp_start"],
        ["cpp_start", "last_visit", "last_review", "cpp_end"],
        "cpp_start",
        ["child_id", "cpp_start"],
        spans=[("cpp_start", "cpp_end")],
    ),
    "cla": ListSpec(
        8,
        "children looked after",
        {
            "child_id": CHILD_ID,
            "age": AGE,
            "cla_start": [
                "Date Started to be Looked After",
                "Date Started to be Looked After (Current Episode)",
                "CLA Start Date",
            ],
            "legal_status": ["Child's Legal Status", "Legal Status"],
            "last_review": ["Date of Latest Statutory Review", "Date of Last Statutory Review"],
            "last_visit": ["Date of Last Social Work Visit"],
            "last_health": ["Date of Last Health Assessment"],
            "cla_end": ["Date Ceased to be Looked After", "Date Ceased Looked After"],
            "missing": [
                "Number of Missing Episodes in the Last 12 Months",
                "Number of episodes of missing in last 12 months",
                "Missing Episodes in Last 12 Months",
            ],
        },
        ["cla_start"],
        ["cla_start", "last_review", "last_visit", "last_health", "cla_end"],
        "cla_start",
        ["child_id", "cla_start"],
        spans=[("cla_start", "cla_end")],
    ),
    "care_leavers": ListSpec(
        9,
        "care leavers",
        {
            "child_id": CHILD_ID,
            "in_touch": ["LA in Touch", "In Touch", "LA in touch with care leaver"],
            "last_contact": ["Latest Date of Contact"],
            "accommodation": ["Type of Accommodation", "Accommodation"],
            "suitable": ["Suitability of Accommodation", "Accommodation Suitability"],
            "activity": ["Activity Status", "Activity"],
        },
        ["in_touch", "activity"],
        ["last_contact"],
        None,
        ["child_id"],
    ),
    "adoption": ListSpec(
        10,
        "adoption",
        {
            "child_id": CHILD_ID,
            "entered_care": ["Date the Child Entered Care", "Date Child Entered Care"],
            "decision": ["Date of Decision that Child Should be Placed for Adoption", "Date of ADM Decision"],
            "placement_order": ["Date of Placement Order"],
            "matched": ["Date of Matching Child and Prospective Adopters", "Date of Matching"],
            "placed": ["Date Placed for Adoption"],
            "adoption_order": ["Date of Adoption Order"],
        },
        ["decision"],
        ["entered_care", "decision", "placement_order", "matched", "placed", "adoption_order"],
        "decision",
        ["child_id", "decision"],
        spans=[("entered_care", "placed"), ("matched", "placed")],
    ),
    "adopters": ListSpec(
        11,
        "adopters",
        {
            "adopter_id": ["Adopter Identifier", "Adopter ID", "Adopter Unique ID", "Adopter Unique Identifier"],
            "enquiry": ["Date of Enquiry", "Date Enquiry Received"],
            "approved": ["Date Application Approved", "Date of Approval", "Date Approved"],
        },
        ["adopter_id", "enquiry"],
        ["enquiry", "approved"],
        "enquiry",
        ["adopter_id"],
        spans=[("enquiry", "approved")],
        id_column="adopter_id",
    ),
}
