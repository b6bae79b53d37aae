"""The REST API's view of a job and its files (the job endpoints themselves sit with the app that
decides who sees which job)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from healing.jobs.models import Job, JobFile


class JobFileSerializer(serializers.ModelSerializer):
    class Meta:
        model = JobFile
        fields = ["id", "direction", "name", "content_type", "size", "created"]
        read_only_fields = fields


class JobSerializer(serializers.ModelSerializer):
    study = serializers.CharField(source="study.slug", read_only=True)
    user = serializers.CharField(source="user.username", read_only=True)
    outputs = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "study",
            "user",
            "state",
            "progress",
            "message",
            "result",
            "error",
            "outputs",
            "created",
            "started",
            "finished",
        ]
        read_only_fields = fields

    def get_outputs(self, job: Job) -> list[dict[str, Any]]:
        # Prefetched by the view: no query per job.
        outputs = [f for f in job.files.all() if f.direction == JobFile.Direction.OUTPUT]
        return list(JobFileSerializer(outputs, many=True).data)
