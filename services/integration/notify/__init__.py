"""Messages to the applicant (SMS, email, Zalo) at each step, with their consent, via the outbox."""
