"""Pages of remote workshops: /workshops/... for trainers and trainees, /join/ for trainees.

Included at the root of the site (`sandbox/urls.py`), so that the join page can be
the short address trainers read out in a video call.
"""

from django.urls import path

from .views import debrief, exercises, live, statements, trainee, workshops

app_name = "workshops"

EXERCISE = "workshops/<int:pk>/exercises/<int:ex>/"

urlpatterns = [
    # Trainers: their workshops.
    path("workshops/", workshops.workshop_list, name="list"),
    path("workshops/<int:pk>/", workshops.workshop_detail, name="detail"),
    path("workshops/<int:pk>/joining/", workshops.joining, name="joining"),
    path("workshops/<int:pk>/trainees/add/", workshops.trainee_add, name="trainee_add"),
    path("workshops/<int:pk>/jobs/<int:job>/credentials/", workshops.import_credentials,
         name="import_credentials"),
    path("workshops/<int:pk>/trainees/import/", workshops.trainees_import, name="trainees_import"),
    path("workshops/<int:pk>/trainees/template.csv", workshops.import_template,
         name="import_template"),
    path("workshops/<int:pk>/trainees/<int:enrolment>/password/", workshops.password_reset,
         name="password_reset"),
    path("workshops/<int:pk>/pairs/add/", workshops.pair_add, name="pair_add"),
    path("workshops/<int:pk>/exercises/add/", workshops.exercise_add, name="exercise_add"),
    path("workshops/<int:pk>/summary/", debrief.summary_page, name="summary"),
    path("workshops/<int:pk>/summary.csv", debrief.summary_csv_file, name="summary_csv"),
    path("workshops/<int:pk>/summary.xlsx", debrief.summary_xlsx_file, name="summary_xlsx"),
    # Trainers: one exercise, its live board and its results.
    path(EXERCISE, exercises.exercise_detail, name="exercise"),
    path(EXERCISE + "board/", exercises.board, name="board"),
    path(EXERCISE + "start/", exercises.start, name="start"),
    path(EXERCISE + "close/", exercises.close, name="close"),
    path(EXERCISE + "message/", exercises.message, name="message"),
    path(EXERCISE + "clock/", exercises.clock, name="clock"),
    path(EXERCISE + "reset/", exercises.reset, name="reset"),
    path(EXERCISE + "give-space/", exercises.give_space, name="give_space"),
    path(EXERCISE + "presenter/", live.presenter, name="presenter"),
    path(EXERCISE + "attempts/<int:attempt>/observe/", live.observe, name="observe"),
    path(EXERCISE + "results/", exercises.results, name="results"),
    path(EXERCISE + "solution/", exercises.solution, name="solution"),
    path(EXERCISE + "debrief/", debrief.debrief_page, name="debrief"),
    path(EXERCISE + "results.csv", exercises.results_csv, name="results_csv"),
    path(EXERCISE + "xapi.json", exercises.xapi_json, name="xapi"),
    path(EXERCISE + "statements/", statements.statements, name="statements"),
    path(EXERCISE + "statements/send/", statements.statements_send, name="statements_send"),
    path(EXERCISE + "attempts/<int:attempt>/report/", exercises.attempt_report, name="report"),
    # Trainees.
    path("join/", trainee.join, name="join"),
    path("workshops/mine/<int:pk>/", trainee.my_workshop, name="mine"),
    path("workshops/mine/attempts/<int:attempt>/submit/", trainee.submit, name="submit"),
    path("workshops/mine/attempts/<int:attempt>/retry/", trainee.retry, name="retry"),
]
