"""discovery: the product search index (FTS5 trigram on SQLite, pg_trgm GIN on PostgreSQL)

Revision ID: discovery_0001
Revises: 0001
Create Date: 2026-11-25 10:00:00.000000

Index rows point at products through a (tenant_id, product_id) foreign key, hence depends_on.
Texts that exist already are indexed here, folded by the same function the application uses.
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa

from pasar.discovery.text import fold, plain

revision = "discovery_0001"
down_revision = "0001"
branch_labels = ("discovery",)
depends_on = ("catalog_0001",)

#: SQLite: an external-content FTS5 table over search_documents, kept by triggers.
SQLITE_FTS = (
    "CREATE VIRTUAL TABLE search_fts USING fts5(title_folded, body_folded, "
    "content='search_documents', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER search_documents_ai AFTER INSERT ON search_documents BEGIN "
    "INSERT INTO search_fts(rowid, title_folded, body_folded) "
    "VALUES (new.id, new.title_folded, new.body_folded); END",
    "CREATE TRIGGER search_documents_ad AFTER DELETE ON search_documents BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title_folded, body_folded) "
    "VALUES ('delete', old.id, old.title_folded, old.body_folded); END",
    "CREATE TRIGGER search_documents_au AFTER UPDATE ON search_documents BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title_folded, body_folded) "
    "VALUES ('delete', old.id, old.title_folded, old.body_folded); "
    "INSERT INTO search_fts(rowid, title_folded, body_folded) "
    "VALUES (new.id, new.title_folded, new.body_folded); END",
)
#: PostgreSQL: trigram GIN indexes serve ILIKE '%term%' and similarity() on both columns.
POSTGRES_TRGM = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX ix_search_documents_title_trgm ON search_documents USING gin (title_folded gin_trgm_ops)",
    "CREATE INDEX ix_search_documents_body_trgm ON search_documents USING gin (body_folded gin_trgm_ops)",
)


def upgrade() -> None:
    op.create_table('search_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('locale', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('title_folded', sa.String(length=200), nullable=False),
    sa.Column('body_folded', sa.Text(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'product_id'], ['products.tenant_id', 'products.id'], name=op.f('fk_search_documents_tenant_id_product_id_products'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_search_documents_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_documents')),
    sa.UniqueConstraint('tenant_id', 'product_id', 'locale', name=op.f('uq_search_documents_tenant_id_product_id_locale'))
    )
    with op.batch_alter_table('search_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_documents_product_id'), ['product_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_search_documents_tenant_id'), ['tenant_id'], unique=False)
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_FTS if dialect == "sqlite" else POSTGRES_TRGM if dialect == "postgresql" else ():
        op.execute(statement)
    _index_existing_texts()


def _index_existing_texts() -> None:
    bind = op.get_bind()
    texts = sa.table("product_texts", *(sa.column(n) for n in ("tenant_id", "product_id", "locale", "title", "description")))
    documents = sa.table("search_documents", *(sa.column(n) for n in (
        "tenant_id", "product_id", "locale", "title", "title_folded", "body_folded")))
    rows = [
        {"tenant_id": t.tenant_id, "product_id": t.product_id, "locale": t.locale, "title": plain(t.title)[:200],
         "title_folded": fold(t.title)[:200], "body_folded": fold(t.description or "")}
        for t in bind.execute(sa.select(texts))
    ]
    if rows:
        bind.execute(documents.insert(), rows)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in ("search_documents_ai", "search_documents_ad", "search_documents_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS search_fts")
    with op.batch_alter_table('search_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_documents_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_search_documents_product_id'))
    op.drop_table('search_documents')
