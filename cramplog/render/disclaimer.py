"""The closing words of every human-readable report: what cramplog can and cannot tell you."""

from __future__ import annotations

DISCLAIMER = (
    "cramplog looks for patterns in your training log that sports-science studies have "
    "linked to muscle cramps. It is not medical advice and it cannot see your hydration, "
    "your electrolytes or damage in your muscles. Most cramp research is observational and "
    "researchers still disagree about what causes cramps. Any link between your own cramps "
    "and your training rests on a handful of events and may be chance."
)

WARNING_SIGNS: list[str] = [
    "Get urgent medical help if cramps come with dizziness, fainting or collapse, vomiting, "
    "confusion, dark (cola-coloured) urine, or cramping that spreads over much of the body.",
    "Get urgent medical help for headache, nausea or confusion after drinking large amounts "
    "during long exercise: it can mean low blood sodium.",
    "See a doctor if cramps are frequent or severe, happen at rest, began after starting a new "
    "medicine (for example a statin), or if you live with a long-term illness.",
]
