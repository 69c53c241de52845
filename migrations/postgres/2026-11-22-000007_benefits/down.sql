DROP TABLE benefit_measurements;
DROP TABLE benefits;
