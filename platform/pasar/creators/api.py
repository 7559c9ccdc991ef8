"""Creator endpoints: becoming a creator, profiles and followers, collaboration offers and
their decisions, promotion links and the link redirect.

Every route exists only where the tenant has the ``affiliate`` feature (elsewhere: a 404
problem naming it). A creator or shop only ever acts for itself: its id comes from the token,
never from the URL, and another's offer or collaboration answers 404.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from flask import current_app, redirect, url_for
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from werkzeug.wrappers import Response

from pasar import clock
from pasar.accounts.auth import current_principal, own_seller_id, require_auth, signed_in
from pasar.catalog.errors import CatalogNotFound
from pasar.contracts import BankAccount
from pasar.creators import claims, service
from pasar.creators.models import Collaboration, CollaborationOffer, Creator, PromotionLink
from pasar.creators.schemas import (
    CollaborationQuerySchema,
    CollaborationSchema,
    CreatorQuerySchema,
    LinkClickSchema,
    LinkInSchema,
    LinkSchema,
    OfferInSchema,
    OfferQuerySchema,
    OfferSchema,
    OwnCreatorSchema,
    ProfileInSchema,
    ProfilePatchSchema,
    PromotionClaimInSchema,
    PromotionClaimSchema,
    PublicCreatorSchema,
)
from pasar.sellers.schemas import BankAccountInSchema
from pasar.sellers.service import SellerNotApproved, SellerNotFound, payouts_for
from pasar.web import current_tenant, database, db_session, require_feature, write_session

blp = Blueprint("creators", __name__, url_prefix="/api/v1",
                description="Creators, collaborations with shops, promotion links")
affiliate = require_feature(service.FEATURE)
USERS = ("buyer", "seller", "creator")
CLAIM_HEADER = "Pasar-Claim-Token"


# --- helpers ------------------------------------------------------------------------------------
@contextmanager
def domain_errors() -> Iterator[None]:
    """Turn the creators domain's refusals into problems naming the field at fault."""
    try:
        yield
    except service.InvalidCreatorInput as exc:
        abort(422, message="some fields are not valid", errors=exc.errors)
    except service.CreatorNotFound as exc:
        abort(404, message=exc.message, errors={exc.field or "id": [exc.message]})
    except service.NotPromotable as exc:
        abort(403, message=exc.message, errors={exc.field or "product_id": [exc.message]})
    except service.CreatorConflict as exc:
        abort(409, message=exc.message, errors={exc.field or "status": [exc.message]})
    except (SellerNotApproved, SellerNotFound):
        abort(409, message="seller is not approved")
    except CatalogNotFound:
        abort(404, message="no such product", errors={"product_id": ["no such product"]})


def own_creator_id() -> int:
    """The caller's creator profile; a token without one has none to act for (404)."""
    creator_id = signed_in().creator_id
    if creator_id is None:
        abort(404, message="you have no creator profile")
    return creator_id


def public_json(creator: Creator, following: bool = False) -> dict[str, Any]:
    return {"id": creator.id, "handle": creator.handle, "display_name": creator.display_name, "bio": creator.bio,
            "categories": list(creator.categories), "countries": list(creator.countries),
            "follower_count": creator.follower_count, "following": following}


def own_json(creator: Creator) -> dict[str, Any]:
    return {**public_json(creator), "bank_account": service.masked_account(creator), "created_at": creator.created_at}


def offer_json(offer: CollaborationOffer) -> dict[str, Any]:
    return {"id": offer.id, "seller_id": offer.seller_id, "product_id": offer.product_id,
            "creator_id": offer.creator_id, "commission_rate": service.rate_of(offer.rate_bp),
            "starts_at": offer.starts_at, "ends_at": offer.ends_at, "status": offer.status, "note": offer.note}


def collaboration_json(collaboration: Collaboration) -> dict[str, Any]:
    return {"id": collaboration.id, "offer_id": collaboration.offer_id, "creator_id": collaboration.creator_id,
            "seller_id": collaboration.seller_id, "product_id": collaboration.product_id,
            "commission_rate": service.rate_of(collaboration.rate_bp), "starts_at": collaboration.starts_at,
            "ends_at": collaboration.ends_at, "status": collaboration.status,
            "decided_at": collaboration.decided_at}


def link_json(link: PromotionLink) -> dict[str, Any]:
    return {"code": link.code, "url": url_for("creators.RedirectView", code=link.code, _external=True),
            "product_id": link.product_id, "clicks": link.clicks, "created_at": link.created_at}


def viewer_id() -> int | None:
    """The signed-in user calling a public endpoint, if any (operators are not buyers)."""
    principal = current_principal()
    return principal.id if principal is not None and principal.kind == "user" else None


def committed(work: Callable[[], Any]) -> Any:
    """Run a writing service call in the request's write transaction (SQLite: ``BEGIN
    IMMEDIATE``, so two clicks on one link queue instead of failing) inside the domain's error
    mapping, then commit."""
    session = write_session()
    with domain_errors():
        result = work()
    session.commit()
    return result


# --- profiles -----------------------------------------------------------------------------------
@blp.route("/creators")
class CreatorsView(MethodView):
    @affiliate
    @blp.arguments(CreatorQuerySchema, location="query")
    @blp.response(200, PublicCreatorSchema(many=True))
    def get(self, query: dict[str, Any]) -> list[dict[str, Any]]:
        """Creators by followers, optionally of one category or audience country."""
        found = service.list_creators(db_session(), current_tenant(), category=query.get("category"),
                                      country=query.get("country"))
        return [public_json(creator) for creator in found]

    @affiliate
    @require_auth(*USERS)
    @blp.arguments(ProfileInSchema)
    @blp.response(201, OwnCreatorSchema)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Become a creator: your public profile and the account commission is paid to."""
        tenant = current_tenant()
        account = body["bank_account"]
        profile = service.Profile(
            handle=body["handle"], display_name=body["display_name"], bio=body["bio"],
            categories=body["categories"], countries=body["countries"],
            bank_account=BankAccount(holder=account["holder"], number=account["number"],
                                     bank_code=account.get("bank_code"), country=account.get("country")),
        )
        payouts = payouts_for(database(), current_app.config["PASAR"], tenant)
        creator = committed(lambda: service.create_profile(
            db_session(), tenant, signed_in().id, profile, payouts, clock.now()))
        return own_json(creator)


@blp.route("/creators/<int:creator_id>")
class CreatorView(MethodView):
    @affiliate
    @blp.response(200, PublicCreatorSchema)
    def get(self, creator_id: int) -> dict[str, Any]:
        """A creator's public profile."""
        session, tenant, user_id = db_session(), current_tenant(), viewer_id()
        with domain_errors():
            creator = service.get_creator(session, tenant, creator_id)
        following = user_id is not None and service.follows(session, tenant, creator.id, user_id)
        return public_json(creator, following)


@blp.route("/creators/<int:creator_id>/follow")
class FollowView(MethodView):
    @affiliate
    @require_auth(*USERS)
    @blp.response(200, PublicCreatorSchema)
    def post(self, creator_id: int) -> dict[str, Any]:
        """Follow a creator (following again changes nothing)."""
        creator = committed(lambda: service.follow(db_session(), current_tenant(), creator_id, signed_in().id))
        return public_json(creator, True)

    @affiliate
    @require_auth(*USERS)
    @blp.response(200, PublicCreatorSchema)
    def delete(self, creator_id: int) -> dict[str, Any]:
        """Stop following a creator."""
        creator = committed(lambda: service.unfollow(db_session(), current_tenant(), creator_id, signed_in().id))
        return public_json(creator, False)


@blp.route("/creator")
class OwnCreatorView(MethodView):
    @affiliate
    @require_auth("creator")
    @blp.response(200, OwnCreatorSchema)
    def get(self) -> dict[str, Any]:
        """Your creator profile, with your payout account masked."""
        with domain_errors():
            return own_json(service.get_creator(db_session(), current_tenant(), own_creator_id()))

    @affiliate
    @require_auth("creator")
    @blp.arguments(ProfilePatchSchema)
    @blp.response(200, OwnCreatorSchema)
    def patch(self, body: dict[str, Any]) -> dict[str, Any]:
        """Change your display name, bio, categories or countries."""
        creator_id = own_creator_id()
        return own_json(committed(lambda: service.update_profile(db_session(), current_tenant(), creator_id, body)))


@blp.route("/creator/bank-account")
class OwnBankAccountView(MethodView):
    @affiliate
    @require_auth("creator")
    @blp.arguments(BankAccountInSchema)
    @blp.response(200, OwnCreatorSchema)
    def put(self, body: dict[str, Any]) -> dict[str, Any]:
        """Replace the account your commission is paid to. The marketplace's payout provider
        checks it as it checks a shop's; a refused one is a 422 naming the field and your old
        account stays in use. The next payout goes to the new account."""
        tenant, creator_id = current_tenant(), own_creator_id()
        account = BankAccount(holder=body["holder"], number=body["number"], bank_code=body.get("bank_code"),
                              country=body.get("country"))
        payouts = payouts_for(database(), current_app.config["PASAR"], tenant)
        return own_json(committed(lambda: service.change_bank_account(
            db_session(), tenant, creator_id, account, payouts)))


# --- the creator's side of collaborations -------------------------------------------------------
@blp.route("/collaboration-offers")
class OpenOffersView(MethodView):
    @affiliate
    @require_auth("creator")
    @blp.arguments(OfferQuerySchema, location="query")
    @blp.response(200, OfferSchema(many=True))
    def get(self, query: dict[str, Any]) -> list[dict[str, Any]]:
        """Offers open to every creator now, best commission first."""
        found = service.open_offers(db_session(), current_tenant(), clock.now(), query.get("product_id"))
        return [offer_json(offer) for offer in found]


@blp.route("/collaboration-offers/<int:offer_id>/apply")
class ApplyView(MethodView):
    @affiliate
    @require_auth("creator")
    @blp.response(201, CollaborationSchema)
    def post(self, offer_id: int) -> dict[str, Any]:
        """Ask to promote an offer's product; the shop approves or rejects."""
        creator_id = own_creator_id()
        return collaboration_json(committed(lambda: service.apply(
            db_session(), current_tenant(), creator_id, offer_id, clock.now())))


@blp.route("/creator/collaborations")
class CreatorCollaborationsView(MethodView):
    @affiliate
    @require_auth("creator")
    @blp.arguments(CollaborationQuerySchema, location="query")
    @blp.response(200, CollaborationSchema(many=True))
    def get(self, query: dict[str, Any]) -> list[dict[str, Any]]:
        """Your invitations, applications and collaborations, newest first."""
        found = service.creator_collaborations(db_session(), current_tenant(), own_creator_id(), query.get("status"))
        return [collaboration_json(c) for c in found]


def _decide(decision: str, party_id: int, collaboration_id: int) -> dict[str, Any]:
    return collaboration_json(committed(lambda: service.decide(
        db_session(), current_tenant(), decision, party_id, collaboration_id, clock.now())))


@blp.route("/creator/collaborations/<int:collaboration_id>/accept")
class AcceptView(MethodView):
    @affiliate
    @require_auth("creator")
    @blp.response(200, CollaborationSchema)
    def post(self, collaboration_id: int) -> dict[str, Any]:
        """Accept a shop's invitation: you may promote the product from now on."""
        return _decide("accept", own_creator_id(), collaboration_id)


@blp.route("/creator/collaborations/<int:collaboration_id>/decline")
class DeclineView(MethodView):
    @affiliate
    @require_auth("creator")
    @blp.response(200, CollaborationSchema)
    def post(self, collaboration_id: int) -> dict[str, Any]:
        """Decline a shop's invitation."""
        return _decide("decline", own_creator_id(), collaboration_id)


# --- the shop's side ------------------------------------------------------------------------------
@blp.route("/seller/collaboration-offers")
class SellerOffersView(MethodView):
    @affiliate
    @require_auth("seller")
    @blp.response(200, OfferSchema(many=True))
    def get(self) -> list[dict[str, Any]]:
        """Your shop's offers, newest first."""
        return [offer_json(o) for o in service.seller_offers(db_session(), current_tenant(), own_seller_id())]

    @affiliate
    @require_auth("seller")
    @blp.arguments(OfferInSchema)
    @blp.response(201, OfferSchema)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Offer creators commission on a product for a window: open to all, or invite one."""
        seller_id, at = own_seller_id(), clock.now()
        offer = service.Offer(product_id=body["product_id"], rate=body["commission_rate"],
                              starts_at=body["starts_at"] or at, ends_at=body["ends_at"],
                              creator_id=body["creator_id"], note=body["note"])
        return offer_json(committed(lambda: service.publish_offer(db_session(), current_tenant(), seller_id, offer, at)))


@blp.route("/seller/collaboration-offers/<int:offer_id>/withdraw")
class WithdrawView(MethodView):
    @affiliate
    @require_auth("seller")
    @blp.response(200, OfferSchema)
    def post(self, offer_id: int) -> dict[str, Any]:
        """Stop an offer now; commission already earned stays earned."""
        seller_id = own_seller_id()
        return offer_json(committed(lambda: service.withdraw_offer(
            db_session(), current_tenant(), seller_id, offer_id, clock.now())))


@blp.route("/seller/collaborations")
class SellerCollaborationsView(MethodView):
    @affiliate
    @require_auth("seller")
    @blp.arguments(CollaborationQuerySchema, location="query")
    @blp.response(200, CollaborationSchema(many=True))
    def get(self, query: dict[str, Any]) -> list[dict[str, Any]]:
        """Creators on your offers (``status=applied``: applications waiting for you)."""
        found = service.seller_collaborations(db_session(), current_tenant(), own_seller_id(), query.get("status"))
        return [collaboration_json(c) for c in found]


@blp.route("/seller/collaborations/<int:collaboration_id>/approve")
class ApproveView(MethodView):
    @affiliate
    @require_auth("seller")
    @blp.response(200, CollaborationSchema)
    def post(self, collaboration_id: int) -> dict[str, Any]:
        """Approve a creator's application: it may promote the product from now on."""
        return _decide("approve", own_seller_id(), collaboration_id)


@blp.route("/seller/collaborations/<int:collaboration_id>/reject")
class RejectView(MethodView):
    @affiliate
    @require_auth("seller")
    @blp.response(200, CollaborationSchema)
    def post(self, collaboration_id: int) -> dict[str, Any]:
        """Reject a creator's application."""
        return _decide("reject", own_seller_id(), collaboration_id)


# --- links --------------------------------------------------------------------------------------
@blp.route("/creator/links")
class LinksView(MethodView):
    @affiliate
    @require_auth("creator")
    @blp.response(200, LinkSchema(many=True))
    def get(self) -> list[dict[str, Any]]:
        """Your promotion links with their click counts."""
        return [link_json(link) for link in service.creator_links(db_session(), current_tenant(), own_creator_id())]

    @affiliate
    @require_auth("creator")
    @blp.arguments(LinkInSchema)
    @blp.response(201, LinkSchema)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Your link to a product you may promote (the same link when asked again)."""
        creator_id = own_creator_id()
        return link_json(committed(lambda: service.create_link(
            db_session(), current_tenant(), creator_id, body["product_id"], clock.now())))


def claim_signer() -> claims.ClaimSigner:
    """Signs the claim tokens of signed-out clicks for this tenant (never valid as a cookie)."""
    return claims.ClaimSigner(current_app.secret_key or "", current_tenant(), "token")


def landed(code: str) -> tuple[PromotionLink, str | None]:
    """Follow a link for the caller; a signed-out caller also gets the claim token of its click."""
    buyer_id = viewer_id()
    link, pending = committed(lambda: claims.land(db_session(), current_tenant(), code, buyer_id, clock.now()))
    return link, (claim_signer().dumps([pending]) if pending is not None else None)


@blp.route("/r/<string:code>")
class RedirectView(MethodView):
    @affiliate
    @blp.response(302, headers={CLAIM_HEADER: {
        "description": "Signed out only: the click's claim token (see `POST /me/promotion-claims`)",
        "schema": {"type": "string"}}})
    def get(self, code: str) -> Response:
        """Follow a creator's link: the click is counted (and credited, for a signed-in buyer)
        and the answer redirects to the product. Signed out, the ``Pasar-Claim-Token`` header
        carries a token that credits the click once the buyer signs in."""
        link, token = landed(code)
        response = redirect(url_for("catalog.ProductView", product_id=link.product_id), 302)
        if token is not None:
            response.headers[CLAIM_HEADER] = token
        return response

    @affiliate
    @blp.response(200, LinkClickSchema)
    def post(self, code: str) -> dict[str, Any]:
        """An app follows a creator's link: the same click as ``GET``, answered as JSON. Signed
        out, keep ``claim_token`` and post it to ``POST /me/promotion-claims`` after signing in:
        the click is then credited as if you had been signed in when you made it."""
        link, token = landed(code)
        expires = clock.now() + service.attribution_window(current_tenant()) if token is not None else None
        return {"product_id": link.product_id, "product_url": url_for("catalog.ProductView", product_id=link.product_id),
                "claim_token": token, "claim_expires_at": expires}


@blp.route("/me/promotion-claims")
class PromotionClaimsView(MethodView):
    @affiliate
    @require_auth(*USERS)
    @blp.arguments(PromotionClaimInSchema)
    @blp.response(200, PromotionClaimSchema)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Claim the clicks you made on creators' links while signed out: each becomes your
        click at the time you made it, so your next purchase credits the creator. Posting a
        token again credits nothing twice; a click older than the attribution window, or whose
        creator could not be credited then, is reported and dropped. A token that this
        marketplace did not sign is a 422 naming its index."""
        signer = claim_signer()
        pending: list[claims.PendingClick] = []
        errors: dict[str, list[str]] = {}
        for index, token in enumerate(body["claim_tokens"]):
            try:
                pending.extend(signer.loads(token))
            except claims.InvalidClaim as exc:
                errors[f"claim_tokens.{index}"] = [str(exc)]
        if errors:
            abort(422, message="some claim tokens are not valid", errors=errors)
        buyer_id = signed_in().id
        outcomes = committed(lambda: claims.claim(db_session(), current_tenant(), buyer_id, pending, clock.now()))
        return {"credited": sum(1 for found in outcomes if found.outcome == claims.CREDITED),
                "clicks": [{"outcome": found.outcome, "creator_id": found.creator_id,
                            "product_id": found.product_id, "clicked_at": found.click.at} for found in outcomes]}
