"""The docs' examples, for real: over HTTP, with a personal token, pandas reads the CSV export
URL directly and requests downloads the codebook."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
import requests

from coding.models import Coding
from interviews.models import Study
from interviews.services import api_token_create
from tests.rich_study import build_rich_study


@pytest.mark.django_db(transaction=True)
def test_pandas_reads_the_export_url_with_a_token(
    live_server: Any, study: Study, lead: Any, coder: Any, coder2: Any, viewer: Any
) -> None:
    build_rich_study(study=study, lead=lead, coder=coder, coder2=coder2)
    _, token = api_token_create(user=viewer, name="pandas")
    headers = {"Authorization": f"Bearer {token}"}
    url = f"{live_server.url}/api/v1/studies/study/exports/csv/?layer=consensus"

    frame = pd.read_csv(url, storage_options=headers)

    consensus = Coding.objects.filter(layer="consensus").order_by("id")
    assert sorted(frame["coding_id"]) == [c.pk for c in consensus]
    first = consensus.first()
    assert first is not None
    row = frame.set_index("coding_id").loc[first.pk]
    assert row["quote"] == first.quote
    assert row["code_key"] == first.code.key
    assert set(frame["export_layer"]) == {"consensus"}

    with pytest.raises(Exception, match="401"):
        pd.read_csv(url)

    response = requests.get(
        f"{live_server.url}/api/v1/studies/study/codebook/exports/md/", headers=headers, timeout=10
    )
    assert response.status_code == 200
    assert response.text.startswith("# ")
