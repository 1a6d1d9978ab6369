-- What an inbound email tells the CRM about its sender: an opt-out ("take me off your
-- list") marks the contact do-not-contact, and every send step refuses to email them; an
-- out-of-office records when they are back. Inbound messages are stored once per thread in
-- email_threads.messages (tier 2 reads subjects and counts only).
ALTER TABLE contacts
    ADD COLUMN do_not_contact        BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN do_not_contact_reason TEXT,
    ADD COLUMN out_of_office_until   DATE;
