//! Supersession chains: a part and the parts it replaced or that replace
//! it count as one causal part (DESIGN §10).

use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::model::AppError;
use crate::server::entities::part;

/// Every superseded part of the OEMs in reach, mapped to the current part
/// of its chain (parts never superseded map to themselves and are left out).
#[derive(Debug, Default)]
pub(crate) struct Chains {
    head: HashMap<i64, i64>,
}

impl Chains {
    /// # Errors
    /// When the database is unavailable.
    pub async fn load(db: &impl ConnectionTrait, oem_id: Option<i64>) -> Result<Self, AppError> {
        let mut query = part::Entity::find()
            .select_only()
            .columns([part::Column::Id, part::Column::SupersededById])
            .filter(part::Column::SupersededById.is_not_null());
        if let Some(oem) = oem_id {
            query = query.filter(part::Column::OemId.eq(oem));
        }
        let next: HashMap<i64, i64> = query
            .into_tuple::<(i64, Option<i64>)>()
            .all(db)
            .await?
            .into_iter()
            .filter_map(|(id, next)| Some((id, next?)))
            .collect();
        let head = next.keys().map(|&id| (id, Self::follow(&next, id))).collect();
        Ok(Self { head })
    }

    /// Follows the links to the end; a cycle (never written by the
    /// catalogue, but not trusted) stops where it closes.
    fn follow(next: &HashMap<i64, i64>, from: i64) -> i64 {
        let mut at = from;
        for _ in 0..=next.len() {
            match next.get(&at) {
                Some(&n) if n != from => at = n,
                _ => break,
            }
        }
        at
    }

    /// The current part of `part`'s chain.
    pub fn head(&self, part: i64) -> i64 {
        self.head.get(&part).copied().unwrap_or(part)
    }

    /// Every part of the chain `part` belongs to, itself included.
    pub fn members(&self, part: i64) -> Vec<i64> {
        let head = self.head(part);
        let mut members: Vec<i64> = self.head.iter().filter(|(_, h)| **h == head).map(|(id, _)| *id).collect();
        members.push(head);
        members.sort_unstable();
        members.dedup();
        members
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chains(links: &[(i64, i64)]) -> Chains {
        let next: HashMap<i64, i64> = links.iter().copied().collect();
        Chains { head: next.keys().map(|&id| (id, Chains::follow(&next, id))).collect() }
    }

    #[test]
    fn a_chain_counts_as_its_current_part() {
        let c = chains(&[(1, 2), (2, 3), (7, 3)]);
        assert_eq!(c.head(1), 3);
        assert_eq!(c.head(3), 3);
        assert_eq!(c.members(2), vec![1, 2, 3, 7]);
        assert_eq!(c.members(9), vec![9]);
    }

    #[test]
    fn a_cycle_ends_the_walk() {
        let c = chains(&[(1, 2), (2, 1)]);
        assert!(c.head(1) == 1 || c.head(1) == 2);
    }
}
