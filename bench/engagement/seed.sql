-- Engagement benchmark data for PostgreSQL: one large organization with
-- years of shares and clicks, and the rollups exactly as the API keeps them.
--
-- Deterministic for a given seed (every random figure is a hash of the seed
-- and the row number). Sizes are psql variables; see bench/engagement/README.md.
--
--   psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -v slug=bench -v seed=42 \
--        -v employees=100000 -v ambassadors=5000 -v groups=200 -v days=730 \
--        -v items_per_day=10 -v shares=2000000 -v clicks=6000000 \
--        -v end_day=2026-11-26 -f bench/engagement/seed.sql
--
-- The organization (slug) must exist (advocacy create-org) and hold no
-- shares yet.

\set ON_ERROR_STOP 1
\timing on
SET max_parallel_workers_per_gather = 0;

-- A number in [0, 1) from the seed, a salt and a row number.
CREATE OR REPLACE FUNCTION pg_temp.h(seed int, salt text, i bigint) RETURNS double precision
LANGUAGE sql IMMUTABLE AS $$
  SELECT ('x' || substr(md5(seed::text || ':' || salt || ':' || i::text), 1, 8))::bit(32)::bigint / 4294967296.0
$$;
CREATE OR REPLACE FUNCTION pg_temp.uid(seed int, salt text, i bigint) RETURNS uuid
LANGUAGE sql IMMUTABLE AS $$
  SELECT md5(seed::text || ':' || salt || ':' || i::text)::uuid
$$;

CREATE TEMP TABLE bench_params AS
SELECT o.id AS org,
       (SELECT u.id FROM users u WHERE u.organization_id = o.id ORDER BY u.created_at LIMIT 1) AS admin,
       :seed::int AS seed,
       :employees::int AS employees,
       :ambassadors::int AS ambassadors,
       :groups::int AS groups,
       :days::int AS days,
       :items_per_day::int AS items_per_day,
       :shares::bigint AS shares,
       :clicks::bigint AS clicks,
       (DATE :'end_day' - (:days::int - 1)) AS first_day,
       DATE :'end_day' AS last_day
FROM organizations o WHERE o.slug = :'slug';

-- Settings: cpm and the company's own followers.
UPDATE organizations SET cpm = '{"LINKEDIN": 12.5, "X": 4.0, "FACEBOOK": 6.0}',
       company_followers = '{"LINKEDIN": 250000, "X": 80000}'
WHERE id = (SELECT org FROM bench_params);

-- Employees: ACTIVE ambassadors first, then some PAUSED and WITHDRAWN (who
-- shared before), INVITED, DECLINED, and everyone else NONE.
INSERT INTO users (id, organization_id, email, display_name, language, password_hash, roles,
                   ambassador_status, enrolled_at, status_changed_at, created_at)
SELECT pg_temp.uid(p.seed, 'user', i), p.org, 'e' || i || '@' || :'slug' || '.bench', 'Employee ' || i,
       CASE WHEN pg_temp.h(p.seed, 'lang', i) < 0.2 THEN 'fr' ELSE 'en' END, NULL, 'EMPLOYEE',
       CASE WHEN i <= p.ambassadors THEN 'ACTIVE'
            WHEN i <= p.ambassadors * 1.06 THEN 'PAUSED'
            WHEN i <= p.ambassadors * 1.12 THEN 'WITHDRAWN'
            WHEN i <= p.ambassadors * 1.32 THEN 'INVITED'
            WHEN i <= p.ambassadors * 1.42 THEN 'DECLINED'
            ELSE 'NONE' END,
       NULL, NULL, p.first_day::timestamp AT TIME ZONE 'UTC'
FROM bench_params p, generate_series(1, p.employees) AS i;

-- Who may have shared: ACTIVE, PAUSED and WITHDRAWN people.
CREATE TEMP TABLE bench_sharers AS
SELECT i AS n, pg_temp.uid(p.seed, 'user', i) AS user_id,
       (50 + floor(pg_temp.h(p.seed, 'followers', i) * 5000))::bigint AS followers
FROM bench_params p, generate_series(1, floor(p.ambassadors * 1.12)::int) AS i;

INSERT INTO social_accounts (organization_id, user_id, network, handle, follower_count, updated_at)
SELECT p.org, s.user_id, 'LINKEDIN', '@e' || s.n, s.followers, p.first_day::timestamp AT TIME ZONE 'UTC'
FROM bench_params p, bench_sharers s;
INSERT INTO social_accounts (organization_id, user_id, network, handle, follower_count, updated_at)
SELECT p.org, s.user_id, 'X', '@e' || s.n, s.followers / 2, p.first_day::timestamp AT TIME ZONE 'UTC'
FROM bench_params p, bench_sharers s WHERE s.n % 2 = 0;

INSERT INTO groups (id, organization_id, name, created_at)
SELECT pg_temp.uid(p.seed, 'group', g), p.org, 'Group ' || lpad(g::text, 4, '0'), p.first_day::timestamp AT TIME ZONE 'UTC'
FROM bench_params p, generate_series(1, p.groups) AS g;

-- One to three groups per employee.
INSERT INTO group_members (organization_id, group_id, user_id)
SELECT DISTINCT p.org, pg_temp.uid(p.seed, 'group', 1 + floor(pg_temp.h(p.seed, 'gm' || k, i) * p.groups)::int),
       pg_temp.uid(p.seed, 'user', i)
FROM bench_params p, generate_series(1, p.employees) AS i, generate_series(1, 3) AS k
WHERE k = 1 OR pg_temp.h(p.seed, 'gmk' || k, i) < 0.5
ON CONFLICT DO NOTHING;

INSERT INTO topics (id, organization_id, name, created_at)
SELECT pg_temp.uid(p.seed, 'topic', t), p.org, 'Topic ' || t, p.first_day::timestamp AT TIME ZONE 'UTC'
FROM bench_params p, generate_series(1, 20) AS t;

-- items_per_day items a day, published at 08:00 UTC.
INSERT INTO contents (id, organization_id, kind, title, summary, body, url, image_url, language, pinned,
                      targeted, publish_at, expires_at, archived_at, created_by, created_at, updated_at)
SELECT pg_temp.uid(p.seed, 'content', c), p.org, 'ARTICLE', 'Item ' || c, NULL, NULL,
       'https://example.com/bench/' || c, NULL,
       CASE WHEN pg_temp.h(p.seed, 'clang', c) < 0.2 THEN 'fr' ELSE NULL END, false, false,
       (p.first_day + ((c - 1) / p.items_per_day))::timestamp AT TIME ZONE 'UTC' + interval '8 hours',
       NULL, NULL, p.admin,
       (p.first_day + ((c - 1) / p.items_per_day))::timestamp AT TIME ZONE 'UTC',
       (p.first_day + ((c - 1) / p.items_per_day))::timestamp AT TIME ZONE 'UTC'
FROM bench_params p, generate_series(1, p.days * p.items_per_day) AS c;

INSERT INTO content_topics (organization_id, content_id, topic_id)
SELECT DISTINCT p.org, pg_temp.uid(p.seed, 'content', c), pg_temp.uid(p.seed, 'topic', 1 + floor(pg_temp.h(p.seed, 'ct' || k, c) * 20)::int)
FROM bench_params p, generate_series(1, p.days * p.items_per_day) AS c, generate_series(1, 2) AS k
WHERE k = 1 OR pg_temp.h(p.seed, 'ctk', c) < 0.4
ON CONFLICT DO NOTHING;

-- Shares, denser on recent days (density grows linearly over the range),
-- each of an item published in the 14 days before, mostly on LinkedIn.
CREATE TEMP TABLE bench_shares AS
SELECT i,
       d,
       1 + floor(pg_temp.h(p.seed, 'su', i) * (SELECT count(*) FROM bench_sharers))::int AS sharer,
       greatest(0, (d - floor(pg_temp.h(p.seed, 'sage', i) * 14)::int)) * p.items_per_day
         + 1 + floor(pg_temp.h(p.seed, 'sitem', i) * p.items_per_day)::int AS item,
       CASE WHEN pg_temp.h(p.seed, 'snet', i) < 0.6 THEN 'LINKEDIN'
            WHEN pg_temp.h(p.seed, 'snet', i) < 0.85 THEN 'X' ELSE 'FACEBOOK' END AS network,
       (p.first_day + d)::timestamp AT TIME ZONE 'UTC'
         + floor(pg_temp.h(p.seed, 'ssec', i) * 86400) * interval '1 second' AS shared_at
FROM bench_params p,
     LATERAL (SELECT i, least(p.days - 1, floor(p.days * sqrt(pg_temp.h(p.seed, 'sday', i)))::int) AS d
              FROM generate_series(1, p.shares) AS i) g;

INSERT INTO shares (id, organization_id, user_id, content_id, network, comment, shared_at, potential_reach,
                    idempotency_key, request_hash, tracking_code, points_awarded, created_at)
SELECT pg_temp.uid(p.seed, 'share', b.i), p.org, s.user_id, pg_temp.uid(p.seed, 'content', b.item), b.network, NULL,
       b.shared_at, CASE WHEN b.network = 'LINKEDIN' THEN s.followers WHEN b.network = 'X' AND s.n % 2 = 0 THEN s.followers / 2 ELSE 0 END,
       'bench-' || b.i, 'bench', 'b' || p.seed || 'x' || b.i, 0, b.shared_at
FROM bench_params p, bench_shares b JOIN bench_sharers s ON s.n = b.sharer;

-- Clicks: a share gets 0..2*clicks/shares clicks, within a week after it
-- (most on the first day), never after the last day.
INSERT INTO clicks (id, organization_id, share_id, content_id, user_id, network, clicked_at, visitor_key)
SELECT pg_temp.uid(p.seed, 'click', s.i * 16 + k), p.org, pg_temp.uid(p.seed, 'share', s.i),
       pg_temp.uid(p.seed, 'content', s.item), sh.user_id, s.network,
       least(s.shared_at + pg_temp.h(p.seed, 'cdelay', s.i * 16 + k) ^ 3 * interval '7 days',
             (p.last_day + 1)::timestamp AT TIME ZONE 'UTC' - interval '1 second'),
       md5(p.seed || ':visitor:' || (s.i * 16 + k))
FROM bench_params p, bench_shares s JOIN bench_sharers sh ON sh.n = s.sharer,
     LATERAL generate_series(1, floor(pg_temp.h(p.seed, 'cn', s.i) * (2.0 * p.clicks / p.shares + 1))::int) AS k;

ANALYZE users; ANALYZE group_members; ANALYZE shares; ANALYZE clicks; ANALYZE social_accounts;

-- Rollups, exactly what on_share and on_click add row by row.
CREATE TEMP TABLE bench_facts AS
SELECT organization_id, (shared_at AT TIME ZONE 'UTC')::date AS day, content_id, user_id, network,
       1::bigint AS shares, potential_reach, 0::bigint AS clicks
FROM shares WHERE organization_id = (SELECT org FROM bench_params)
UNION ALL
SELECT organization_id, (clicked_at AT TIME ZONE 'UTC')::date, content_id, user_id, network, 0, 0, 1
FROM clicks WHERE organization_id = (SELECT org FROM bench_params);

INSERT INTO engagement_network_days (organization_id, day, network, shares, potential_reach, clicks)
SELECT organization_id, day, network, sum(shares), sum(potential_reach), sum(clicks)
FROM bench_facts GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
INSERT INTO engagement_content_days (organization_id, day, content_id, network, shares, potential_reach, clicks)
SELECT organization_id, day, content_id, network, sum(shares), sum(potential_reach), sum(clicks)
FROM bench_facts GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4;
INSERT INTO engagement_user_days (organization_id, day, user_id, network, shares, potential_reach, clicks)
SELECT organization_id, day, user_id, network, sum(shares), sum(potential_reach), sum(clicks)
FROM bench_facts GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4;
INSERT INTO engagement_user_months (organization_id, month, user_id, network, shares, potential_reach, clicks)
SELECT organization_id, date_trunc('month', day)::date, user_id, network, sum(shares), sum(potential_reach), sum(clicks)
FROM bench_facts GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4;

-- The API appends rollup rows day after day, so they lie in day order on
-- disk; the rows above go in sorted for the same layout.
VACUUM ANALYZE engagement_network_days;
VACUUM ANALYZE engagement_content_days;
VACUUM ANALYZE engagement_user_days;
VACUUM ANALYZE engagement_user_months;
VACUUM ANALYZE users;
VACUUM ANALYZE group_members;
VACUUM ANALYZE social_accounts;

SELECT (SELECT count(*) FROM shares WHERE organization_id = p.org) AS shares,
       (SELECT count(*) FROM clicks WHERE organization_id = p.org) AS clicks,
       (SELECT count(*) FROM engagement_content_days WHERE organization_id = p.org) AS content_day_rows,
       (SELECT count(*) FROM engagement_user_days WHERE organization_id = p.org) AS user_day_rows,
       (SELECT count(*) FROM engagement_user_months WHERE organization_id = p.org) AS user_month_rows
FROM bench_params p;
