"""Feature switches on the console: only within what the tenant's plugins allow, each change in
the audit log on the page, and the storefront API follows at once."""
from __future__ import annotations

import re
from typing import Any

import pytest

from pasar.testing.accounts_factories import tenant_context
from pasar.testing.console_factories import consoles_for


@pytest.fixture(scope="module")
def switch_app(make_app: Any) -> Any:
    """An app of its own: these tests switch features of whole tenants."""
    return make_app()


def feature_row(html: str, feature: str) -> str:
    found = re.search(rf'<tr id="feature-{feature}".*?</tr>', html, re.S)
    assert found, f"no row for {feature}"
    return found.group(0)


def test_the_page_shows_each_feature_and_offers_only_allowed_switches(switch_app: Any) -> None:
    ops = consoles_for(switch_app)(tenants=("uk",))

    html = ops.get("/console/tenants/uk/features").get_data(as_text=True)

    assert 'data-enabled="on"' in feature_row(html, "shopping_tab")
    assert 'data-test="feature-switch"' in feature_row(html, "shopping_tab")
    cod = feature_row(html, "cash_on_delivery")
    assert 'data-test="feature-switch"' not in cod and "Not allowed by the plugin" in cod
    assert "Cash on delivery is off" in cod  # the plugin's own explanation
    assert 'id="audit-empty"' in html


def test_switching_the_shopping_tab_off_is_audited_and_the_shop_api_answers_404(switch_app: Any) -> None:
    ops = consoles_for(switch_app)(tenants=("th",))
    client = switch_app.test_client()
    assert client.get("/api/v1/shop", headers={"X-Pasar-Tenant": "th"}).status_code == 200

    answer = ops.post("/console/tenants/th/features",
                      {"feature": "shopping_tab", "enabled": "off", "reason": "Tab redesign <today>"})

    assert answer.status_code == 302
    assert not tenant_context(switch_app, "th").has_feature("shopping_tab")
    assert client.get("/api/v1/shop", headers={"X-Pasar-Tenant": "th"}).status_code == 404
    html = ops.get("/console/tenants/th/features").get_data(as_text=True)
    assert 'data-enabled="off"' in feature_row(html, "shopping_tab")
    audit = re.search(r'<table class="audit".*?</table>', html, re.S)
    assert audit is not None
    assert ops.operator.email in audit.group(0)  # type: ignore[union-attr]
    assert "shopping_tab" in audit.group(0) and "on → off" in audit.group(0)
    assert "Tab redesign &lt;today&gt;" in audit.group(0)

    ops.post("/console/tenants/th/features", {"feature": "shopping_tab", "enabled": "on", "reason": "done"})
    assert client.get("/api/v1/shop", headers={"X-Pasar-Tenant": "th"}).status_code == 200


def test_a_feature_the_plugin_does_not_allow_is_refused_with_a_clear_message(switch_app: Any) -> None:
    ops = consoles_for(switch_app)(tenants=("us",))

    answer = ops.post("/console/tenants/us/features",
                      {"feature": "cash_on_delivery", "enabled": "on", "reason": "try"})

    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    assert 'id="feature-error"' in html and "do not allow &#39;cash_on_delivery&#39; in US" in html
    assert not tenant_context(switch_app, "us").has_feature("cash_on_delivery")
    assert 'id="audit-empty"' in html


def test_a_switch_needs_a_reason(switch_app: Any) -> None:
    ops = consoles_for(switch_app)(tenants=("de",))

    answer = ops.post("/console/tenants/de/features", {"feature": "ads", "enabled": "off", "reason": " "})

    assert answer.status_code == 422 and "say why" in answer.get_data(as_text=True)
    assert tenant_context(switch_app, "de").has_feature("ads")
