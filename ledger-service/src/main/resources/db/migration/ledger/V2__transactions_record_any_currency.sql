-- A declined instruction is recorded as it came (made storable): its currency may be anything a
-- producer wrote, not three letters. Entries keep char(3): only valid payments post.
ALTER TABLE transactions ALTER COLUMN currency TYPE text;
