//! What the segmenter derives from a lexicon, built once per lexicon and shared by every
//! page: building it per page cost more than segmenting short pages.

use std::sync::{Arc, Mutex, PoisonError};

use threadmill_lexicon::Lexicon;

/// One derived value per slot, for the lexicon it was last built from. A run uses one
/// lexicon, so one entry is enough; another lexicon rebuilds it (tests use several).
pub(crate) type Slot<T> = Mutex<Option<(u64, Arc<T>)>>;

/// The value in `slot` for `lexicon`, built by `build` when the slot holds none for it.
pub(crate) fn derived<T>(
    slot: &Slot<T>,
    lexicon: &Lexicon,
    build: impl FnOnce(&Lexicon) -> T,
) -> Arc<T> {
    let mut last = slot.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((id, value)) = &*last
        && *id == lexicon.id()
    {
        return Arc::clone(value);
    }
    let value = Arc::new(build(lexicon));
    *last = Some((lexicon.id(), Arc::clone(&value)));
    value
}
