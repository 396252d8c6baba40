from django.urls import path

from reminders import views

app_name = "reminders"

urlpatterns = [
    path("reminders/", views.reminder_settings, name="settings"),
    path("calendar/deadlines.ics", views.calendar_feed, name="calendar_feed"),
]
