UPDATE requirements
SET title_da = 'Politisk kommunikation: lokalt og over for omverdenen (KOMBIT, KL, Digitaliseringsstyrelsen mv.)',
    title_en = 'Political communication, local and towards KOMBIT, KL, the Digitalisation Agency'
WHERE catalogue_version = 'os2-2016' AND key = 'political_communication';
UPDATE requirements
SET title_en = 'Political communication, local and towards KOMBIT, KL, the Digitalisation Agency'
WHERE catalogue_version = 'os2-styringsmodel-2025' AND key = 'F21';
