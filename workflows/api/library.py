"""Publishing a library entry over the API: it finishes the case's publication task too, so
the view lives with the people side (the other library calls are ``casework.api.library``)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response

from casework import library_selectors as library
from casework.api.library_serializers import LibraryDraftSerializer
from casework.models import LibraryEntry
from casework.roles import actor_of
from workflows import services


class LibraryPublishView(generics.GenericAPIView[LibraryEntry]):
    """Publish a reviewed draft: a coordinator or group 2 member who is not its author."""

    serializer_class = LibraryDraftSerializer

    @extend_schema(request=None, responses={200: LibraryDraftSerializer})
    def post(self, request: Request, pk: int) -> Response:
        entry = library.library_entry_get_for_user(actor_of(request), pk)
        entry = services.library_entry_publish(entry=entry, actor=actor_of(request))
        return Response(LibraryDraftSerializer(entry).data)
