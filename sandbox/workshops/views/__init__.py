"""Pages of remote workshops.

- `workshops`: a trainer's workshops: trainees, pairs, exercises to assign.
- `exercises`: one exercise: start, the live board, messages, clocks, resets, results.
- `debrief`: the debrief of an exercise, and the workshop's summary with its downloads.
- `trainee`: joining with a code, a trainee's assignments, submitting and trying again.

Every view finds its workshop, exercise or attempt through `..selectors`, which
answer 404 to anyone who does not run the workshop (or, for trainees, whose
enrolment or attempt it is not), and writes only by calling `..services`.
"""
