"""The screenshots the guide shows, taken by e2e/test_screenshots.py (a plain module, so
that the docs tests can read the list without the browser tests' set-up)."""

#: The screenshots of the guide: name -> what it shows. tests/docs checks the guide's images.
SHOTS = {
    "exercise": "the trainee's exercise page: brief, objectives, clock and messages",
    "case-page": "a case half-way through: its stepper, sections and actions",
    "consent-dialog": "recording consent on the case page",
    "report": "the trainee's score report",
    "trainer-board": "the trainer's live board during an exercise",
}
