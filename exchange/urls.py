from django.urls import path, register_converter

from . import feeds, views


class FeedFormatConverter:
    regex = "atom|rss"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class DirectionConverter(FeedFormatConverter):
    regex = "to-gfmd|from-gfmd|between-rcps"


register_converter(FeedFormatConverter, "feedformat")
register_converter(DirectionConverter, "direction")

app_name = "exchange"
urlpatterns = [
    path("exchange/", views.DispatchListView.as_view(), name="dispatch_list"),
    path("exchange/<int:pk>/", views.DispatchDetailView.as_view(), name="dispatch_detail"),
    path("exchange/<int:pk>/files/<int:attachment_pk>/", views.attachment_download, name="attachment_download"),
    # Feeds: /exchange/feed/atom/, /exchange/feed/to-gfmd/rss/, /exchange/feed/process/<slug>/atom/ …
    path("exchange/feed/<feedformat:fmt>/", feeds.dispatch_feed, name="dispatch_feed"),
    path("exchange/feed/<direction:key>/<feedformat:fmt>/", feeds.direction_feed, name="direction_feed"),
    path("exchange/feed/process/<slug:key>/<feedformat:fmt>/", feeds.process_feed, name="process_feed"),
    path("exchange/feed/theme/<slug:key>/<feedformat:fmt>/", feeds.theme_feed, name="theme_feed"),
    path(
        "exchange/feed/process/<slug:key>/updates/<feedformat:fmt>/",
        feeds.process_updates_feed,
        name="process_updates_feed",
    ),
    path("exchange/subscribe/", views.SubscribeView.as_view(), name="subscribe"),
    path("exchange/subscribe/sent/", views.subscribe_sent, name="subscribe_sent"),
    path("exchange/subscribe/confirm/<str:token>/", views.subscribe_confirm, name="subscribe_confirm"),
    path("exchange/unsubscribe/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe"),
]
