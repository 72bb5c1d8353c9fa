"""Words every notebook uses: figures, ordinals, labels inside sentences, DfE symbols, sources notes.

Every number carries its unit and the year it refers to; a missing value is said to be
missing, never written as zero.
"""

import pandas as pd

from .. import safe, splice_notes

SYMBOL_MEANINGS = {
    "c": "suppressed to protect confidentiality (small numbers)",
    "x": "not available",
    "z": "not applicable",
    "k": "rounds to zero but is not zero",
    "u": "low reliability",
    "low": "a small positive value",
    ":": "not available",
}


def short_label(label: str) -> str:
    """A label for use inside a sentence: the first letter lower-cased unless it is an acronym."""
    return label if label[:2].isupper() else label[0].lower() + label[1:]


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 11th, 112th, 137th."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def figure(value) -> str:
    """A count for a sentence: "1,234", or "c (suppressed)" for a figure hidden to protect children."""
    return "c (suppressed)" if isinstance(value, str) else f"{value:,.0f}"


def reporting_year(year) -> str:
    """2026 -> '2025/26' (the year to 31 March 2026)."""
    year = int(year)
    return f"{year - 1}/{str(year)[-2:]}"


def pct_phrase(pct: float) -> str:
    """'12% above' / '8% below' / 'the same as'."""
    if pd.isna(pct):
        return "not comparable with"
    if round(pct) == 0:
        return "about the same as"
    return f"{abs(pct):.0f}% {'above' if pct > 0 else 'below'}"


def signed_pct(pct: float, decimals: int = 0) -> str:
    """A change as '+12%' or '-3.4%'; one that rounds to nothing is '0%', never '-0%' or '+0%'.

    >>> signed_pct(12.4), signed_pct(-0.4), signed_pct(-0.04, 1), signed_pct(-3.45, 1)
    ('+12%', '0%', '0.0%', '-3.5%')
    """
    text = f"{pct:+.{decimals}f}"
    return f"{abs(float(text)):.{decimals}f}%" if float(text) == 0 else f"{text}%"


def symbols_footnote() -> str:
    """What the GSS symbols in the source files mean."""
    return "; ".join(f"`{k}` {v}" for k, v in SYMBOL_MEANINGS.items())


def notes(provenance: pd.DataFrame, tidy: pd.DataFrame) -> str:
    """Footnotes for a notebook: sources, the year convention and what the symbols mean."""
    sources = "\n".join(
        f"- {safe.md(r.publication)} ({safe.md(r.file)}, {safe.md(r.years)}; SHA-256 {safe.md(r.sha256[:12])}…)"
        for r in provenance.itertuples()
        if r.file != "provenance.csv"
    )
    return (
        "**Sources.** Contains public sector information licensed under the Open Government Licence v3.0.\n\n"
        f"{sources}\n\n"
        "**Years.** A year such as 2024 means the year ending 31 March 2024 for children in need, child "
        "protection and children looked after, 30 September 2024 for the social work workforce, and the "
        "financial year 2023-24 for spending (revenue outturn, £ thousands unless stated). Rates per "
        "10,000 children for year Y divide by the ONS mid-year estimate of children aged 0-17 for Y-1, as DfE does. "
        f"The data run from {tidy['year'].min()} to {tidy['year'].max()}.\n\n"
        f"**Symbols.** Where the source shows a symbol instead of a number it is kept, never read as zero: "
        f"{symbols_footnote()}.\n\n"
        "**Boundary changes.** Bournemouth, Christchurch and Poole and Dorset (from 2020), North and West "
        "Northamptonshire (from 2022) and Cumberland and Westmorland and Furness (from 2024) have no figures "
        "before they existed; nothing is back-cast. Workforce figures for North and West Northamptonshire are "
        "one joint return (the Northamptonshire Children's Trust).\n\n" + splice_notes.note(tidy)
    )
