-- The N3 communication requirement as report 5.5 writes it: strategic communication coordinated
-- with the board ("strategisk kommunikation, der koordineres med bestyrelsen for OS2"). Only its
-- titles change; what it asks for is the same.
UPDATE requirements
SET title_da = 'Politisk og strategisk kommunikation, der koordineres med bestyrelsen for OS2, lokalt og over for KOMBIT, KL m.fl.',
    title_en = 'Political and strategic communication, coordinated with the association''s board, locally and towards KOMBIT, KL and others'
WHERE catalogue_version = 'os2-2016' AND key = 'political_communication';
-- The 2025 checklist's F21 takes its English title from it.
UPDATE requirements
SET title_en = 'Political and strategic communication, coordinated with the association''s board, locally and towards KOMBIT, KL and others'
WHERE catalogue_version = 'os2-styringsmodel-2025' AND key = 'F21';
