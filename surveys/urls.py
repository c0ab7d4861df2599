from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("surveys/", views.SurveyListView.as_view(), name="survey_list"),
    path("surveys/respond/", views.response_list, name="response_list"),
    path("surveys/respond/<int:pk>/", views.response_answer, name="response_answer"),
    path("surveys/respond/<int:pk>/send-on/", views.response_send_on, name="response_send_on"),
    path(
        "surveys/respond/<int:pk>/<str:kind>/<int:file_pk>/",
        views.response_file,
        name="response_file",
    ),
    path("surveys/manage/<slug:slug>/preview/", views.survey_preview, name="survey_preview"),
    path("surveys/manage/<slug:slug>/results/", views.survey_all_results, name="survey_all_results"),
    path(
        "surveys/manage/<slug:slug>/answers.<str:fmt>",
        views.survey_all_results_export,
        name="survey_all_results_export",
    ),
    path("surveys/<slug:slug>/", views.SurveyResultsView.as_view(), name="survey_results"),
    path("surveys/<slug:slug>/results.<str:fmt>", views.survey_results_export, name="survey_results_export"),
]
