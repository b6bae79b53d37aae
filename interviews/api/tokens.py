"""REST API for the caller's personal API tokens: list, create (shown once), revoke."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from healing.api.base import StrictSerializer
from healing.tokens.models import ApiToken
from interviews.api.common import pk_or_404
from interviews.services import (
    api_token_create,
    api_token_revoke,
)

# --- Personal API tokens ---------------------------------------------------------------------


class ApiTokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created", "last_used", "revoked"]
        read_only_fields = fields


class ApiTokenCreateSerializer(StrictSerializer):
    name = serializers.CharField(max_length=100)


class ApiTokenViewSet(viewsets.GenericViewSet):
    """Your personal API tokens. The token itself is returned once, when it is created."""

    serializer_class = ApiTokenSerializer
    queryset = ApiToken.objects.none()

    def get_queryset(self) -> QuerySet[ApiToken]:
        user: Any = self.request.user
        return ApiToken.objects.filter(user=user).order_by("-created")

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ApiTokenSerializer(page, many=True).data)

    @extend_schema(request=ApiTokenCreateSerializer, responses={201: ApiTokenSerializer})
    def create(self, request: Request) -> Response:
        data = ApiTokenCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        row, token = api_token_create(user=request.user, name=data.validated_data["name"])
        return Response(
            {**ApiTokenSerializer(row).data, "token": token}, status=status.HTTP_201_CREATED
        )

    def destroy(self, request: Request, pk: str) -> Response:
        token = self.get_queryset().filter(pk=pk_or_404(pk)).first()
        if token is None:
            raise Http404("Not found.")
        api_token_revoke(token=token)
        return Response(status=status.HTTP_204_NO_CONTENT)
