from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import language, twofactor

# Names without a namespace: LOGIN_URL and Django's own views expect "login" and "logout".
urlpatterns = [
    path("2fa/", twofactor.verify, name="two_factor_verify"),
    path("2fa/setup/", twofactor.setup, name="two_factor_setup"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", language.set_language, name="set_language"),
]
