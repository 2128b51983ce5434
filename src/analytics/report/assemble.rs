//! Assembling the report from what its statements read: the daily series,
//! per network, totals, per group and the rankings. Nothing here reads the
//! database.

use std::collections::{BTreeMap, HashMap};

use chrono::{Days, NaiveDate};
use entity::{groups, organizations};
use uuid::Uuid;

use super::{
    Day, EngagementFilter, Figures, GroupFigures, Report, Totals, ratio,
    statements::{People, Reads},
};
use crate::{domain::SocialNetwork, org::organizations as org_service};

/// The report from its reads; `others` holds the memberships (group, user)
/// of the sharers `People` does not hold (`sharers_outside`).
pub(super) fn report(
    org: &organizations::Model,
    f: &EngagementFilter,
    reads: Reads,
    others: Vec<(Uuid, Uuid)>,
) -> Report {
    let Reads {
        per_day,
        per_user,
        per_content,
        funnel,
        network_multiplier,
        groups,
        people,
    } = reads;
    let cpm = org_service::cpm(org);

    // Daily and per-network figures.
    let mut days: BTreeMap<NaiveDate, (Figures, BTreeMap<SocialNetwork, i64>)> = BTreeMap::new();
    let mut networks: BTreeMap<SocialNetwork, Figures> = BTreeMap::new();
    for (day, network, figures) in per_day {
        let Some(network) = SocialNetwork::parse(&network) else {
            continue;
        };
        let entry = days.entry(day).or_default();
        entry.0.add(figures);
        *entry.1.entry(network).or_default() += figures.potential_reach;
        networks.entry(network).or_default().add(figures);
    }
    let emv = |reach: &BTreeMap<SocialNetwork, i64>| -> f64 {
        reach
            .iter()
            .map(|(n, r)| *r as f64 / 1000.0 * cpm.get(n).copied().unwrap_or(0.0))
            .sum()
    };
    let mut daily = Vec::new();
    let mut day = f.from;
    while day <= f.to {
        let (figures, reach) = days.get(&day).cloned().unwrap_or_default();
        daily.push(Day {
            date: day,
            figures,
            earned_media_value: emv(&reach),
        });
        day = day + Days::new(1);
    }
    let by_network: Vec<(SocialNetwork, Figures)> = SocialNetwork::ALL
        .into_iter()
        .map(|n| (n, networks.get(&n).copied().unwrap_or_default()))
        .collect();
    let mut sum = Figures::default();
    for (_, figures) in &by_network {
        sum.add(*figures);
    }
    let reach_by_network: BTreeMap<SocialNetwork, i64> = by_network
        .iter()
        .map(|(n, fig)| (*n, fig.potential_reach))
        .collect();

    // People.
    let active_ambassadors = per_user.values().filter(|fig| fig.shares > 0).count() as i64;
    let enrolled_ambassadors = funnel.active + funnel.paused;
    let totals = Totals {
        shares: sum.shares,
        active_ambassadors,
        enrolled_ambassadors,
        participation_rate: ratio(active_ambassadors, enrolled_ambassadors),
        potential_reach: sum.potential_reach,
        clicks: sum.clicks,
        click_through_rate: ratio(sum.clicks, sum.potential_reach),
        earned_media_value: emv(&reach_by_network),
        network_multiplier,
    };

    let by_group = by_group(groups, &per_user, &people, others);

    let mut top_content: Vec<(Uuid, Figures)> = per_content
        .into_iter()
        .filter(|(_, fig)| fig.any())
        .collect();
    top_content.sort_by(|(a_id, a), (b_id, b)| {
        (b.shares, b.clicks, b.potential_reach, b_id).cmp(&(
            a.shares,
            a.clicks,
            a.potential_reach,
            a_id,
        ))
    });

    let top_ambassadors = if org.individual_analytics {
        let mut list: Vec<(Uuid, Figures)> = per_user
            .into_iter()
            .filter(|(id, fig)| fig.any() && !people.withdrawn.contains(id))
            .collect();
        list.sort_by(|(a_id, a), (b_id, b)| {
            (b.shares, b.potential_reach, b_id).cmp(&(a.shares, a.potential_reach, a_id))
        });
        list
    } else {
        Vec::new()
    };

    Report {
        from: f.from,
        to: f.to,
        totals,
        daily,
        by_network,
        by_group,
        top_content,
        top_ambassadors,
        funnel,
    }
}

/// People with shares in the range whose groups `People` does not hold
/// (they left the programme); none when no group is reported.
pub(super) fn sharers_outside(reads: &Reads) -> Vec<Uuid> {
    if reads.groups.is_empty() {
        return Vec::new();
    }
    reads
        .per_user
        .iter()
        .filter(|(user, fig)| fig.shares > 0 && !reads.people.groups_of.contains_key(user))
        .map(|(user, _)| *user)
        .collect()
}

/// Per group: shares and active ambassadors among its current members
/// (within the report's filter), and its enrolled members now.
fn by_group(
    groups: Vec<groups::Model>,
    per_user: &HashMap<Uuid, Figures>,
    people: &People,
    others: Vec<(Uuid, Uuid)>,
) -> Vec<GroupFigures> {
    if groups.is_empty() {
        return Vec::new();
    }
    // Memberships (group, user) of the people with shares in the range:
    // from `people`, and those read for the few who are not among them.
    let mut links: Vec<(Uuid, Uuid)> = others;
    for (user, fig) in per_user {
        if fig.shares == 0 {
            continue;
        }
        if let Some(groups) = people.groups_of.get(user) {
            links.extend(groups.iter().map(|g| (*g, *user)));
        }
    }
    let mut activity: HashMap<Uuid, (i64, i64)> = HashMap::new();
    for (group_id, user_id) in links {
        let shares = per_user.get(&user_id).map_or(0, |fig| fig.shares);
        let entry = activity.entry(group_id).or_default();
        entry.0 += shares;
        entry.1 += 1;
    }
    groups
        .into_iter()
        .map(|group| {
            let (shares, active) = activity.get(&group.id).copied().unwrap_or_default();
            let enrolled = people
                .enrolled_by_group
                .get(&group.id)
                .copied()
                .unwrap_or(0);
            GroupFigures {
                group,
                shares,
                active_ambassadors: active,
                enrolled_ambassadors: enrolled,
                participation_rate: ratio(active, enrolled),
            }
        })
        .collect()
}
