"""Search finds products by any word of their title or description, in Thai (no spaces) and
Vietnamese (with or without diacritics), ranks the better match first, shows only public
products, and follows a product's edits."""
from __future__ import annotations

from typing import Any

from pasar.catalog import service as catalog
from pasar.discovery.text import fold
from pasar.testing.catalog_factories import tenant_context


def search(client: Any, tenant: str, q: str, **args: Any) -> dict[str, Any]:
    answer = client.get("/api/v1/search", query_string={"q": q, **args}, headers={"X-Pasar-Tenant": tenant})
    assert answer.status_code == 200, answer.json
    return answer.json


def ids(page: dict[str, Any]) -> list[int]:
    return [item["id"] for item in page["items"]]


def test_folding_removes_vietnamese_tones_but_keeps_thai_marks() -> None:
    assert fold("Giày Thể Thao Đà Nẵng") == "giay the thao da nang"
    assert fold("รองเท้าวิ่ง") == "รองเท้าวิ่ง"


def test_a_thai_word_inside_an_unspaced_title_is_found(client, make_seller, make_titled) -> None:
    seller = make_seller("th")
    shoes = make_titled(seller, {"th_TH": ("รองเท้าวิ่งผู้ชายน้ำหนักเบา", "รองเท้ากีฬาสำหรับวิ่งมาราธอน")})
    rice = make_titled(seller, {"th_TH": ("ข้าวหอมมะลิ", "ข้าวสารคุณภาพดีจากสุรินทร์")})
    found = ids(search(client, "th", "วิ่งผู้ชาย"))
    assert shoes.id in found and rice.id not in found


def test_vietnamese_is_found_with_and_without_diacritics(client, make_seller, make_titled) -> None:
    seller = make_seller("vn")
    shoes = make_titled(seller, {"vi_VN": ("Giày thể thao nữ", "Giày chạy bộ siêu nhẹ")})
    assert shoes.id in ids(search(client, "vn", "giày thể thao"))
    assert shoes.id in ids(search(client, "vn", "giay the thao"))
    assert shoes.id in ids(search(client, "vn", "chay bo"))


def test_the_title_match_ranks_above_a_description_match(client, make_seller, make_titled) -> None:
    seller = make_seller("vn")
    mention = make_titled(seller, {"vi_VN": ("Tất cotton", "Dùng cùng nón bảo hiểm kỳ lân")})
    helmet = make_titled(seller, {"vi_VN": ("Nón bảo hiểm kỳ lân", "Nón cho xe máy")})
    found = ids(search(client, "vn", "non bao hiem ky lan"))
    assert found.index(helmet.id) < found.index(mention.id)


def test_the_diacritics_as_typed_rank_the_exact_word_first(client, make_seller, make_titled) -> None:
    seller = make_seller("vn")
    second = make_titled(seller, {"vi_VN": ("Đồng hồ bấm giây xanh lục", "")})
    shoe = make_titled(seller, {"vi_VN": ("Giày xanh lục", "")})
    assert ids(search(client, "vn", "giày xanh lục"))[:1] == [shoe.id]
    assert ids(search(client, "vn", "giây xanh lục"))[:1] == [second.id]


def test_drafts_blocked_products_and_other_tenants_are_not_found(app, client, make_seller, make_titled) -> None:
    seller = make_seller("uk")
    listed = make_titled(seller, {"en_GB": ("Quokka plush toy", "Soft")})
    draft = make_titled(seller, {"en_GB": ("Quokka plush draft", "Soft")}, status="draft")
    blocked = make_titled(seller, {"en_GB": ("Quokka plush blocked", "Soft")})
    tenant = tenant_context(app, "uk")
    with app.extensions["pasar.db"].session(tenant.id) as session:
        catalog.block_product(session, tenant, blocked.id, "counterfeit")
        session.commit()
    found = ids(search(client, "uk", "quokka plush"))
    assert found == [listed.id] and draft.id not in found and blocked.id not in found
    assert ids(search(client, "ie", "quokka plush")) == []  # another marketplace


def test_an_edited_title_is_found_by_its_new_words_only(app, client, make_seller, make_titled) -> None:
    seller = make_seller("uk")
    product = make_titled(seller, {"en_GB": ("Wombat lamp", "Warm light")})
    tenant = tenant_context(app, "uk")
    with app.extensions["pasar.db"].session(tenant.id) as session:
        catalog.update_product(session, tenant, catalog.get_product(session, tenant, product.id),
                               texts={"en_GB": {"title": "Numbat lamp"}})
        session.commit()
    assert product.id in ids(search(client, "uk", "numbat"))
    assert product.id not in ids(search(client, "uk", "wombat"))


def test_results_are_paged_by_offset_without_repeats(client, make_seller, make_titled) -> None:
    seller = make_seller("uk")
    made = {make_titled(seller, {"en_GB": (f"Platypus mug {n}", "Ceramic")}).id for n in range(5)}
    first = search(client, "uk", "platypus mug", limit=2)
    second = search(client, "uk", "platypus mug", limit=2, offset=first["next_offset"])
    third = search(client, "uk", "platypus mug", limit=2, offset=second["next_offset"])
    seen = ids(first) + ids(second) + ids(third)
    assert len(seen) == len(set(seen)) == 5 and set(seen) == made and third["next_offset"] is None


def test_short_words_and_an_empty_query(client, make_seller, make_titled) -> None:
    seller = make_seller("uk")
    product = make_titled(seller, {"en_GB": ("Echidna XL hoodie", "Fleece")})
    assert product.id in ids(search(client, "uk", "echidna xl"))
    answer = client.get("/api/v1/search", query_string={"q": "  "}, headers={"X-Pasar-Tenant": "uk"})
    assert answer.status_code == 422 and "q" in answer.json["errors"]
