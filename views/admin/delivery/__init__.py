"""The delivery screens: parcels, their events and forms, and the postage price list."""
