"""Public pages about meetings and documents."""

from django.views.generic import DetailView, ListView

from .models import Document, Meeting


class MeetingListView(ListView):
    template_name = "meetings/meeting_list.html"
    paginate_by = 50

    def get_queryset(self):
        return Meeting.objects.public().top_level().with_related()


class MeetingDetailView(DetailView):
    template_name = "meetings/meeting_detail.html"

    def get_queryset(self):
        return Meeting.objects.public().with_related().prefetch_related("themes", "chairs")

    def get_context_data(self, **kwargs):
        meeting = self.object
        return super().get_context_data(
            sessions=Meeting.objects.public().filter(parent=meeting).prefetch_related("chairs"),
            documents=Document.objects.public().filter(meeting=meeting),
            recommendations=meeting.recommendations.public(),
            represented_processes=meeting.represented_processes.public(),
            invited_processes=meeting.invited_processes.public(),
            **kwargs,
        )


class DocumentDetailView(DetailView):
    template_name = "meetings/document_detail.html"

    def get_queryset(self):
        return Document.objects.public().with_related()
