-- One feed page (the first 20 items) for a random ACTIVE ambassador of the
-- large organization, as plain SQL with the rules of Query.feed: the
-- viewer's row, then the page. pgbench runs it at the API benchmark's
-- concurrency for comparison (-M prepared); bench_ambassadors(n, user_id)
-- is made by bench/run.py before the run.
\set n random(1, :ambassadors)
SELECT u.id AS uid, u.organization_id AS org, u.language AS lang
  FROM bench_ambassadors b JOIN users u ON u.id = b.user_id
 WHERE b.n = :n \gset
SELECT c.*
  FROM contents c
 WHERE c.organization_id = :org
   AND c.archived_at IS NULL
   AND c.publish_at <= now()
   AND (c.expires_at IS NULL OR c.expires_at > now())
   AND (NOT c.targeted OR EXISTS (
         SELECT 1 FROM content_groups cg
           JOIN group_members gm
             ON gm.organization_id = cg.organization_id AND gm.group_id = cg.group_id
          WHERE cg.organization_id = :org AND cg.content_id = c.id AND gm.user_id = :uid))
   AND (c.language IS NULL OR c.language = :lang OR c.language = split_part(:lang, '-', 1))
   AND NOT EXISTS (
         SELECT 1 FROM content_dismissals d
          WHERE d.organization_id = :org AND d.user_id = :uid AND d.content_id = c.id)
 ORDER BY c.pinned DESC, c.publish_at DESC, c.id DESC
 LIMIT 20;
