"""Knowledge checks, under the workshops' addresses (included at the site's root)."""

from django.urls import path

from . import views

app_name = "quizzes"

urlpatterns = [
    path("workshops/<int:pk>/knowledge-checks/", views.manage, name="manage"),
    path("workshops/<int:pk>/knowledge-checks/<int:quiz>/open/", views.toggle, name="toggle"),
    path("workshops/<int:pk>/knowledge-checks/results.csv", views.results_csv, name="results_csv"),
    path("workshops/mine/<int:pk>/knowledge-checks/", views.mine, name="mine"),
    path("workshops/mine/<int:pk>/knowledge-checks/<int:quiz>/", views.take, name="take"),
]
