-- One feed page (the first 20 items) for a random ACTIVE ambassador of the
-- large organization, as plain SQL: the rules of Query.feed. pgbench runs it
-- at the API benchmark's concurrency for comparison.
-- bench_ambassadors(n, user_id) is made by bench/run.py before the run.
\set n random(1, :ambassadors)
SELECT c.*
FROM contents c,
     (SELECT u.id, u.organization_id, u.language
        FROM bench_ambassadors b JOIN users u ON u.id = b.user_id
       WHERE b.n = :n) v
WHERE c.organization_id = v.organization_id
  AND c.archived_at IS NULL
  AND c.publish_at <= now()
  AND (c.expires_at IS NULL OR c.expires_at > now())
  AND (NOT c.targeted OR c.id IN (
        SELECT cg.content_id FROM content_groups cg
         WHERE cg.organization_id = v.organization_id
           AND cg.group_id IN (SELECT gm.group_id FROM group_members gm
                                WHERE gm.organization_id = v.organization_id
                                  AND gm.user_id = v.id)))
  AND (c.language IS NULL OR c.language = v.language
       OR c.language = split_part(v.language, '-', 1))
  AND c.id NOT IN (SELECT d.content_id FROM content_dismissals d
                    WHERE d.organization_id = v.organization_id
                      AND d.user_id = v.id)
ORDER BY c.pinned DESC, c.publish_at DESC, c.id DESC
LIMIT 20;
