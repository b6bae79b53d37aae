"""REST API for the caller's personal API tokens: list, create (shown once), revoke.

Only a signed-in session manages tokens: a request authenticated by a token is refused, so a
token can neither mint a new token nor revoke one (its own parent included)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from healing.accounts.two_factor import user_two_factor_verified
from healing.api.base import StrictSerializer
from healing.tokens.models import ApiToken
from interviews.api.common import pk_or_404
from interviews.services import (
    api_token_create,
    api_token_revoke,
    token_lifetime_choices,
)

# --- Personal API tokens ---------------------------------------------------------------------


class ApiTokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "prefix",
            "created",
            "expires",
            "last_used",
            "revoked",
            "two_factor",
        ]
        read_only_fields = fields


class ApiTokenCreateSerializer(StrictSerializer):
    name = serializers.CharField(max_length=100)
    days = serializers.IntegerField(
        required=False, help_text="How long the token lasts: 30, 90 (default) or 365 days."
    )


class SignedInSessionOnly(permissions.BasePermission):
    """Tokens are managed from a signed-in session, never with a token."""

    message = "Manage tokens from your account page while signed in."

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated) and not isinstance(
            request.auth, ApiToken
        )


class ApiTokenViewSet(viewsets.GenericViewSet):
    """Your personal API tokens. The token itself is returned once, when it is created."""

    serializer_class = ApiTokenSerializer
    queryset = ApiToken.objects.none()
    permission_classes = [SignedInSessionOnly]

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
        days = data.validated_data.get("days")
        if days is not None and days not in token_lifetime_choices():
            raise serializers.ValidationError(
                {"days": [f"Pick one of {', '.join(map(str, token_lifetime_choices()))} days."]}
            )
        user: Any = request.user
        row, token = api_token_create(
            user=user,
            name=data.validated_data["name"],
            days=days,
            two_factor=user_two_factor_verified(user),
        )
        return Response(
            {**ApiTokenSerializer(row).data, "token": token}, status=status.HTTP_201_CREATED
        )

    def destroy(self, request: Request, pk: str) -> Response:
        token = self.get_queryset().filter(pk=pk_or_404(pk)).first()
        if token is None:
            raise Http404("Not found.")
        api_token_revoke(token=token)
        return Response(status=status.HTTP_204_NO_CONTENT)
