app_name = "params"
urlpatterns: list = []
