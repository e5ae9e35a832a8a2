"""Two events in one port, in words of my own, for the story index's moves.

A dock strike and a ferry fire. The third report is half strike, half fire: with only
the strike's story there, it joins it; once the fire has a story of its own and the
strike's story gains a report, it is nearer the fire's story and moves there.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from crosswire.model import Article

_FIRST = datetime(2026, 3, 2, 10, tzinfo=UTC)

STRIKE = [
    "Dock workers at the port of Leixoes walked out in a dispute over pay and night shifts.",
    "The union said the strike would last until the port authority reopened talks.",
    "Container ships queued off the coast as cranes stood idle on the quays.",
    "Exporters warned that the walkout would cost millions if it dragged on.",
]
FIRE = [
    "A fire broke out in the engine room of a passenger ferry moored near the harbour.",
    "Firefighters fought the blaze aboard the ferry for six hours before it was out.",
    "Two crew members were treated for smoke inhalation, the ferry operator said.",
    "Investigators boarded the burned ferry to find what started the engine room fire.",
    "The ferry operator said refuelling had ended an hour before the blaze began.",
    "Smoke from the burning ferry drifted over the harbour towns through the night.",
]
PORT = {
    "strike-1": STRIKE[:3],
    "strike-2": STRIKE[1:],
    "both": [*STRIKE[:2], *FIRE[:2]],
    "fire-1": [FIRE[1], FIRE[3], FIRE[4]],
    "fire-2": [FIRE[0], FIRE[4], FIRE[5]],
    "strike-3": [STRIKE[0], STRIKE[2], STRIKE[3]],
}


def port_articles() -> list[Article]:
    return [
        Article(
            id=name,
            input=name,
            text=" ".join(sentences),
            # a day and a half apart: the time decay (past the two-day grace) is what
            # makes the mixed report nearer the fire's story once that story exists
            published=(_FIRST + timedelta(hours=36 * n)).isoformat(),
        )
        for n, (name, sentences) in enumerate(PORT.items())
    ]
