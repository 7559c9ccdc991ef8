"""Products: the list, the editor (texts per language, variants with prices and stock,
pictures), and the inventory table.

A new product is created with its first variants and pictures in one step and stored whole or
not at all: a refused SKU in the second row leaves no half-made draft behind (pictures written
to disk before the refusal are removed again). Prices are typed in the marketplace's currency
as decimals ("12.50"); the catalog turns them into minor units and keeps the price history.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from flask import abort, flash, redirect, request, url_for
from flask_babel import get_locale, gettext as _
from werkzeug.datastructures import FileStorage

from pasar.catalog import images
from pasar.catalog import service as catalog
from pasar.catalog.errors import CatalogError, CatalogNotFound, InvalidCatalogInput
from pasar.catalog.models import PRODUCT_STATUSES, Category, Product, ProductImage, Variant
from pasar.contracts import TAX_CATEGORIES
from pasar.money import from_minor
from pasar.seller_center.blueprint import Form, blp, commit_or_refuse, page, seller_page, settings, shop_id, writer
from pasar.seller_center.labels import options
from pasar.web import current_tenant, db_session

#: Empty variant rows the "new product" form offers (rows left empty are ignored).
NEW_VARIANT_ROWS = 3
#: Pictures one upload may carry (the catalog allows at most ``images.MAX_IMAGES_PER_PRODUCT``).
_UPLOAD_SLACK = 256 * 1024
SIZE_FIELDS = ("weight_grams", "length_cm", "width_cm", "height_cm")


# --- reading helpers ----------------------------------------------------------------------------
def own_product(product_id: int) -> Product:
    """The signed-in shop's product; anyone else's is a 404 like an unknown id."""
    try:
        return catalog.seller_product(db_session(), current_tenant(), shop_id(), product_id)
    except CatalogNotFound:
        abort(404)


def own_variant(product: Product, variant_id: int) -> Variant:
    variant = next((v for v in product.variants if v.id == variant_id), None)
    if variant is None:
        abort(404)
    return variant


def media_url(path: str) -> str:
    return url_for("media.serve", tenant=current_tenant().code, path=path)


def price_text(minor: int | None) -> str:
    """A stored price as the editor shows it for editing: a plain decimal (``12.50``)."""
    if minor is None:
        return ""
    tenant = current_tenant()
    rules = tenant.currency_rules()
    amount = from_minor(minor, tenant.currency, rules).amount
    return f"{amount:.{rules.display_minor_units}f}"


def price_money(minor: int | None) -> Any:
    tenant = current_tenant()
    return None if minor is None else from_minor(minor, tenant.currency, tenant.currency_rules())


def options_text(values: Mapping[str, Any]) -> str:
    """``{"Size": "M", "Colour": "Red"}`` → ``Size: M, Colour: Red`` (what the form shows)."""
    return ", ".join(f"{key}: {value}" for key, value in values.items())


def parse_options(text: str, field: str) -> dict[str, str]:
    """``Size: M, Colour: Red`` → a dict; anything else is refused naming ``field``."""
    found: dict[str, str] = {}
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        name, sep, value = part.partition(":")
        if not sep or not name.strip() or not value.strip():
            raise InvalidCatalogInput(_("Write options as Name: value, separated by commas."), field)
        found[name.strip()] = value.strip()
    return found


def whole_number(text: str, field: str, default: int | None = None) -> int:
    """A form's whole number (``default`` when left empty); refused naming ``field``."""
    text = (text or "").strip()
    if not text and default is not None:
        return default
    try:
        return int(text)
    except ValueError:
        raise InvalidCatalogInput(_("Enter a whole number."), field) from None


def title_of(product: Product) -> str:
    tenant = current_tenant()
    text = product.text_for(str(get_locale()), tenant.default_locale)
    return text.title if text and text.title else _("Untitled product #%(id)d", id=product.id)


def category_choices() -> list[tuple[int, str]]:
    tenant = current_tenant()
    locale = str(get_locale())

    def name(category: Category) -> str:
        return str(category.names.get(locale) or category.names.get(tenant.default_locale) or category.slug)

    return [(c.id, name(c)) for c in catalog.list_categories(db_session(), tenant)]


def renamed(exc: CatalogError, prefix: str) -> CatalogError:
    """The same refusal, its field named within one row of the form (``variants.1.sku``)."""
    return type(exc)(exc.message, f"{prefix}{exc.field or 'sku'}")


# --- list ---------------------------------------------------------------------------------------
@blp.get("/products")
@seller_page
def products() -> Any:
    found = catalog.seller_products(db_session(), current_tenant(), shop_id())
    rows = [{
        "product": p, "title": title_of(p), "thumbnail": media_url(p.images[0].thumbnail_path) if p.images else None,
        "price": price_money(p.price_minor), "variants": len(p.variants),
        "stock": sum(v.inventory.available for v in p.variants if v.inventory is not None),
    } for p in found]
    return page("seller_center/products.html", area="products", rows=rows)


# --- create -------------------------------------------------------------------------------------
@blp.route("/products/new", methods=["GET", "POST"])
@seller_page
def new_product() -> Any:
    """One form for the product, its first variants and pictures."""
    form = Form.posted() if request.method == "POST" else Form(values={"tax_category": "standard"})
    if request.method == "POST":
        product_id = _create(form)
        if product_id is not None:
            flash(_("Product saved."), "success")
            return redirect(url_for("seller_center.edit_product", product_id=product_id))
    rows = range(max(NEW_VARIANT_ROWS, _posted_rows()))
    placed = {*_product_field_names(), "images", "activate",
              *(f"variants.{n}.{name}" for n in rows for name in ("sku", "options", "price", "stock"))}
    return page("seller_center/product_new.html", 422 if form.errors else 200, area="products", form=form,
                rows=rows, placed=placed, **_editor_choices())


def _product_field_names() -> set[str]:
    """The inputs of ``_product_fields.html`` (a refusal naming another goes above the form)."""
    texts = {f"texts.{locale}.{part}" for locale in current_tenant().config.locales
             for part in ("title", "description")}
    return {"category_id", "tax_category", *SIZE_FIELDS, *texts}


def _posted_rows() -> int:
    numbers = [int(k.split(".")[1]) for k in request.form if k.startswith("variants.") and k.split(".")[1].isdigit()]
    return max(numbers, default=-1) + 1


def _editor_choices() -> dict[str, Any]:
    tenant = current_tenant()
    return {"locales": tenant.config.locales, "default_locale": tenant.default_locale,
            "categories": category_choices(), "tax_categories": options("tax_category", TAX_CATEGORIES),
            "statuses": options("product", PRODUCT_STATUSES), "currency": tenant.currency,
            "max_images": images.MAX_IMAGES_PER_PRODUCT}


def _create(form: Form) -> int | None:
    tenant, session, store = current_tenant(), writer(), media_store()
    written: list[str] = []
    product_id = None
    with commit_or_refuse(session, form) as done:
        product = catalog.create_product(session, tenant, shop_id(), texts=_texts(form, new=True),
                                         **_product_fields(form))
        for prefix, row in _variant_rows(form):
            _add_variant(product, row, prefix)
        for upload in _image_uploads():
            written.extend(_add_image(product, upload, store))
        if form.get("activate"):
            catalog.update_product(session, tenant, product, status="active")
        product_id = product.id
    if not done.ok:
        store.remove(tenant.code, *written)
        return None
    return product_id


def _texts(form: Form, *, new: bool) -> dict[str, dict[str, str]]:
    """Per language, the title and description typed. The default language is always sent (a
    product has a title in it); another language only when something was typed in it."""
    tenant = current_tenant()
    texts: dict[str, dict[str, str]] = {}
    for locale in tenant.config.locales:
        title, description = form.get(f"texts.{locale}.title"), form.get(f"texts.{locale}.description")
        if locale == tenant.default_locale or title.strip() or description.strip():
            texts[locale] = {"title": title, "description": description}
    return texts


def _product_fields(form: Form) -> dict[str, Any]:
    fields: dict[str, Any] = {"tax_category": form.get("tax_category") or "standard"}
    category = form.get("category_id")
    fields["category_id"] = whole_number(category, "category_id") if category else None
    for name in SIZE_FIELDS:
        fields[name] = whole_number(form.get(name), name, default=0)
    return fields


def _variant_rows(form: Form) -> Iterator[tuple[str, Mapping[str, str]]]:
    """The variant rows someone typed in (a row with no SKU and no price is an unused row)."""
    for number in range(_posted_rows()):
        prefix = f"variants.{number}."
        row = {name: form.get(prefix + name).strip() for name in ("sku", "options", "price", "stock")}
        if row["sku"] or row["price"]:
            yield prefix, row


def _add_variant(product: Product, row: Mapping[str, str], prefix: str) -> Variant:
    try:
        return catalog.add_variant(
            db_session(), current_tenant(), product, sku=row["sku"], price=row["price"],
            options=parse_options(row["options"], "options"), stock=whole_number(row["stock"], "stock", default=0),
        )
    except CatalogError as exc:
        raise renamed(exc, prefix) from exc


def media_store() -> images.MediaStore:
    return images.MediaStore(images.media_root(settings()))


def _image_uploads() -> list[FileStorage]:
    return [f for f in request.files.getlist("images") if f is not None and f.filename]


def _add_image(product: Product, upload: FileStorage, store: images.MediaStore) -> tuple[str, str]:
    """Store one picture; its refusal is named after the form's ``images`` field."""
    data = upload.stream.read(images.MAX_BYTES + 1)
    try:
        image: ProductImage = images.add_product_image(db_session(), current_tenant(), product, data, store)
    except images.ImageRejected as exc:
        raise InvalidCatalogInput(str(exc), "images") from exc
    except InvalidCatalogInput as exc:
        raise InvalidCatalogInput(exc.message, "images") from exc
    return image.original_path, image.thumbnail_path


# --- edit ---------------------------------------------------------------------------------------
@blp.route("/products/<int:product_id>", methods=["GET", "POST"])
@seller_page
def edit_product(product_id: int) -> Any:
    """Texts, category, tax category, parcel size and status of one product."""
    product = own_product(product_id)
    form = Form.posted() if request.method == "POST" else Form(values=_product_values(product))
    if request.method == "POST":
        session = writer()
        with commit_or_refuse(session, form) as done:
            catalog.update_product(session, current_tenant(), product, texts=_texts(form, new=False),
                                   status=form.get("status") or None, **_product_fields(form))
        if done.ok:
            flash(_("Product saved."), "success")
            return redirect(url_for("seller_center.edit_product", product_id=product.id))
        product = own_product(product_id)
    return _editor(product, form=form)


def _product_values(product: Product) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(product, name) for name in SIZE_FIELDS}
    values.update(tax_category=product.tax_category, category_id=product.category_id or "", status=product.status)
    for text in product.texts:
        values[f"texts.{text.locale}.title"] = text.title
        values[f"texts.{text.locale}.description"] = text.description
    return values


def _editor(product: Product, *, form: Form | None = None, variant_form: Form | None = None,
            new_variant: Form | None = None, image_form: Form | None = None) -> Any:
    """The editor page; a form that was refused is shown with its errors (422)."""
    forms = [f for f in (form, variant_form, new_variant, image_form) if f is not None]
    status = 422 if any(f.errors for f in forms) else 200
    variants = [{
        "variant": v, "price": price_text(v.price_minor), "price_money": price_money(v.price_minor),
        "options": options_text(v.options), "stock": v.inventory,
    } for v in product.variants]
    return page(
        "seller_center/product_edit.html", status, area="products", product=product, title=title_of(product),
        form=form or Form(values=_product_values(product)), variant_form=variant_form or Form(),
        new_variant=new_variant or Form(), image_form=image_form or Form(), variants=variants,
        pictures=[(image, media_url(image.thumbnail_path), media_url(image.original_path)) for image in product.images],
        product_fields=sorted(_product_field_names()),
        variant_fields=[f"variant.{v.id}.{name}" for v in product.variants for name in ("price", "options", "active")],
        **_editor_choices(),
    )


@blp.post("/products/<int:product_id>/variants")
@seller_page
def add_variant(product_id: int) -> Any:
    """One more SKU with its price and first stock."""
    product = own_product(product_id)
    form = Form.posted()
    session = writer()
    with commit_or_refuse(session, form) as done:
        row = {name: form.get(f"new_variant.{name}").strip() for name in ("sku", "options", "price", "stock")}
        _add_variant(product, row, "new_variant.")
    if done.ok:
        flash(_("Variant added."), "success")
        return redirect(url_for("seller_center.edit_product", product_id=product_id) + "#variants")
    return _editor(own_product(product_id), new_variant=form)


@blp.post("/products/<int:product_id>/variants/<int:variant_id>")
@seller_page
def update_variant(product_id: int, variant_id: int) -> Any:
    """A new price (kept in the price history), options, or on/off sale."""
    product = own_product(product_id)
    variant = own_variant(product, variant_id)
    form = Form.posted()
    prefix = f"variant.{variant_id}."
    session = writer()
    with commit_or_refuse(session, form) as done:
        try:
            catalog.update_variant(session, current_tenant(), variant, price=form.get(prefix + "price").strip(),
                                   options=parse_options(form.get(prefix + "options"), "options"),
                                   active=bool(form.get(prefix + "active")))
        except CatalogError as exc:
            raise renamed(exc, prefix) from exc
    if done.ok:
        flash(_("Variant %(sku)s saved.", sku=variant.sku), "success")
        return redirect(url_for("seller_center.edit_product", product_id=product_id) + "#variants")
    return _editor(own_product(product_id), variant_form=form)


@blp.post("/products/<int:product_id>/images")
@seller_page
def add_images(product_id: int) -> Any:
    """Pictures: JPEG, PNG or WebP; each is checked and re-encoded (no metadata kept)."""
    limit = images.MAX_IMAGES_PER_PRODUCT * images.MAX_BYTES + _UPLOAD_SLACK
    form = Form()
    if request.content_length is not None and request.content_length > limit:
        form.refuse("images", _("The pictures are too large."))
        return _editor(own_product(product_id), image_form=form)
    product = own_product(product_id)
    uploads = _image_uploads()
    if not uploads:
        form.refuse("images", _("Choose at least one picture."))
        return _editor(product, image_form=form)
    tenant, session, store = current_tenant(), writer(), media_store()
    written: list[str] = []
    with commit_or_refuse(session, form) as done:
        for upload in uploads:
            written.extend(_add_image(product, upload, store))
    if done.ok:
        flash(_("Pictures added."), "success")
        return redirect(url_for("seller_center.edit_product", product_id=product_id) + "#pictures")
    store.remove(tenant.code, *written)
    return _editor(own_product(product_id), image_form=form)


# --- inventory ----------------------------------------------------------------------------------
@blp.route("/inventory", methods=["GET", "POST"])
@seller_page
def inventory() -> Any:
    """Every variant's stock: on the shelf, held by orders, available; set the shelf count
    after a stock-take (never below what orders already hold)."""
    tenant = current_tenant()
    form = Form.posted() if request.method == "POST" else Form()
    if request.method == "POST":
        session = writer()
        with commit_or_refuse(session, form) as done:
            changed = _set_stock(form)
        if done.ok:
            flash(_("Stock saved for %(count)d variants.", count=changed) if changed else _("Nothing changed."),
                  "success")
            return redirect(url_for("seller_center.inventory"))
    found = catalog.seller_products(db_session(), tenant, shop_id())
    rows = [{"product": p, "title": title_of(p), "variant": v, "options": options_text(v.options), "stock": v.inventory}
            for p in found for v in p.variants]
    return page("seller_center/inventory.html", 422 if form.errors else 200, area="inventory", rows=rows, form=form)


def _set_stock(form: Form) -> int:
    """Apply every changed ``stock.<variant id>``; the first refusal undoes them all."""
    tenant, session, seller_id = current_tenant(), db_session(), shop_id()
    changed = 0
    for key in [k for k in form.values if k.startswith("stock.")]:
        raw = form.get(key).strip()
        variant_id = whole_number(key.partition(".")[2], key)
        variant = catalog.seller_variant(session, tenant, seller_id, variant_id)
        on_hand = whole_number(raw, key)
        if on_hand < 0:
            raise InvalidCatalogInput(_("Must be zero or more."), key)
        if variant.inventory is not None and variant.inventory.on_hand == on_hand:
            continue
        if not catalog.set_stock(session, tenant, variant.id, on_hand):
            raise InvalidCatalogInput(_("Orders already hold more units than that."), key)
        changed += 1
    return changed
