"""ledger accounts, transactions, entries; payout batches and payouts

Revision ID: ledger_0001
Revises: 0001
Create Date: 2026-11-24 21:10:00.000000
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa
import pasar.db


revision = "ledger_0001"
down_revision = "0001"
branch_labels = ("ledger",)
depends_on = None


def upgrade() -> None:
    op.create_table('ledger_accounts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=80), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('owner_type', sa.String(length=16), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('created_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('asset', 'liability', 'revenue', 'expense')", name=op.f('ck_ledger_accounts_kind')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_ledger_accounts_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_accounts')),
    sa.UniqueConstraint('tenant_id', 'code', 'currency', name=op.f('uq_ledger_accounts_tenant_id_code_currency')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_ledger_accounts_tenant_id_id'))
    )
    with op.batch_alter_table('ledger_accounts', schema=None) as batch_op:
        batch_op.create_index('ix_ledger_accounts_owner', ['tenant_id', 'owner_type', 'owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledger_accounts_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('ledger_transactions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('reference', sa.String(length=200), nullable=False),
    sa.Column('related_ref', sa.String(length=200), nullable=True),
    sa.Column('occurred_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('memo', sa.String(length=500), nullable=False),
    sa.Column('metadata', sa.JSON(), nullable=False),
    sa.Column('created_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_ledger_transactions_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_transactions')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_ledger_transactions_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'kind', 'reference', name=op.f('uq_ledger_transactions_tenant_id_kind_reference'))
    )
    with op.batch_alter_table('ledger_transactions', schema=None) as batch_op:
        batch_op.create_index('ix_ledger_transactions_related', ['tenant_id', 'kind', 'related_ref'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledger_transactions_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('payout_batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=64), nullable=False),
    sa.Column('provider', sa.String(length=64), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('minimum_minor', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('completed_at', pasar.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("status IN ('open', 'completed')", name=op.f('ck_payout_batches_status')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_payout_batches_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payout_batches')),
    sa.UniqueConstraint('tenant_id', 'id', name=op.f('uq_payout_batches_tenant_id_id')),
    sa.UniqueConstraint('tenant_id', 'reference', name=op.f('uq_payout_batches_tenant_id_reference'))
    )
    with op.batch_alter_table('payout_batches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payout_batches_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('ledger_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('transaction_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('amount_minor', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('amount_minor <> 0', name=op.f('ck_ledger_entries_amount_not_zero')),
    sa.ForeignKeyConstraint(['tenant_id', 'account_id'], ['ledger_accounts.tenant_id', 'ledger_accounts.id'], name=op.f('fk_ledger_entries_tenant_id_account_id_ledger_accounts')),
    sa.ForeignKeyConstraint(['tenant_id', 'transaction_id'], ['ledger_transactions.tenant_id', 'ledger_transactions.id'], name=op.f('fk_ledger_entries_tenant_id_transaction_id_ledger_transactions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_ledger_entries_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_entries'))
    )
    with op.batch_alter_table('ledger_entries', schema=None) as batch_op:
        batch_op.create_index('ix_ledger_entries_account', ['tenant_id', 'account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledger_entries_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_ledger_entries_transaction', ['tenant_id', 'transaction_id'], unique=False)

    op.create_table('payouts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('owner_type', sa.String(length=16), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=200), nullable=False),
    sa.Column('idempotency_key', sa.String(length=240), nullable=False),
    sa.Column('amount_minor', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('provider', sa.String(length=64), nullable=False),
    sa.Column('provider_ref', sa.String(length=200), nullable=True),
    sa.Column('failure_reason', sa.String(length=500), nullable=True),
    sa.Column('created_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', pasar.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('settled_at', pasar.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('amount_minor > 0', name=op.f('ck_payouts_amount_positive')),
    sa.CheckConstraint("status IN ('pending', 'processing', 'paid', 'failed', 'skipped')", name=op.f('ck_payouts_status')),
    sa.ForeignKeyConstraint(['tenant_id', 'batch_id'], ['payout_batches.tenant_id', 'payout_batches.id'], name=op.f('fk_payouts_tenant_id_batch_id_payout_batches')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_payouts_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payouts')),
    sa.UniqueConstraint('tenant_id', 'batch_id', 'owner_type', 'owner_id', name=op.f('uq_payouts_tenant_id_batch_id_owner_type_owner_id')),
    sa.UniqueConstraint('tenant_id', 'provider_ref', name=op.f('uq_payouts_tenant_id_provider_ref')),
    sa.UniqueConstraint('tenant_id', 'reference', name=op.f('uq_payouts_tenant_id_reference'))
    )
    with op.batch_alter_table('payouts', schema=None) as batch_op:
        batch_op.create_index('ix_payouts_owner', ['tenant_id', 'owner_type', 'owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payouts_tenant_id'), ['tenant_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('payouts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payouts_tenant_id'))
        batch_op.drop_index('ix_payouts_owner')

    op.drop_table('payouts')
    with op.batch_alter_table('ledger_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_ledger_entries_transaction')
        batch_op.drop_index(batch_op.f('ix_ledger_entries_tenant_id'))
        batch_op.drop_index('ix_ledger_entries_account')

    op.drop_table('ledger_entries')
    with op.batch_alter_table('payout_batches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payout_batches_tenant_id'))

    op.drop_table('payout_batches')
    with op.batch_alter_table('ledger_transactions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ledger_transactions_tenant_id'))
        batch_op.drop_index('ix_ledger_transactions_related')

    op.drop_table('ledger_transactions')
    with op.batch_alter_table('ledger_accounts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ledger_accounts_tenant_id'))
        batch_op.drop_index('ix_ledger_accounts_owner')

    op.drop_table('ledger_accounts')
