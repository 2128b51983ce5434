//! The audit trail: one row per change by HR, an ADMIN, SCIM or the
//! system to people, roles, settings, the identity provider, tokens, API
//! clients, invitations, erasures and exports. Append-only: an UPDATE is
//! refused by the database itself; rows leave only by retention.

use sea_orm_migration::{prelude::*, schema::*, sea_orm::DatabaseBackend};

use crate::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AuditEntries::Table)
                    .col(uuid(AuditEntries::Id).primary_key())
                    .col(uuid(AuditEntries::OrganizationId))
                    .col(timestamp_with_time_zone(AuditEntries::At))
                    // USER, SCIM or SYSTEM.
                    .col(string_len(AuditEntries::ActorKind, 20))
                    // Null for SCIM and the system.
                    .col(uuid_null(AuditEntries::ActorUserId))
                    .col(string_len(AuditEntries::Action, 50))
                    .col(uuid_null(AuditEntries::TargetId))
                    .col(json(AuditEntries::Details))
                    .foreign_key(
                        ForeignKey::create()
                            .from(AuditEntries::Table, AuditEntries::OrganizationId)
                            .to(Organizations::Table, Organizations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // auditLog: newest first, keyset on (at, id).
        index(
            manager,
            "ix_audit_entries_org_at",
            AuditEntries::Table,
            &[
                AuditEntries::OrganizationId,
                AuditEntries::At,
                AuditEntries::Id,
            ],
            false,
        )
        .await?;
        let conn = manager.get_connection();
        match manager.get_database_backend() {
            DatabaseBackend::Sqlite => {
                conn.execute_unprepared(
                    "CREATE TRIGGER audit_entries_append_only BEFORE UPDATE ON audit_entries \
                     BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END",
                )
                .await?;
            }
            _ => {
                conn.execute_unprepared(
                    "CREATE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS \
                     $$ BEGIN RAISE EXCEPTION 'audit entries are append-only'; END $$",
                )
                .await?;
                conn.execute_unprepared(
                    "CREATE TRIGGER audit_entries_append_only BEFORE UPDATE ON audit_entries \
                     FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()",
                )
                .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AuditEntries::Table).to_owned())
            .await?;
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared("DROP FUNCTION audit_entries_append_only()")
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Organizations {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum AuditEntries {
    Table,
    Id,
    OrganizationId,
    At,
    ActorKind,
    ActorUserId,
    Action,
    TargetId,
    Details,
}
