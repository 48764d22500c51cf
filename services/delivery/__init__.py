"""Results by post: shipping, parcel events, the carrier's feed, stalled parcels, postage."""
