DROP TABLE agenda_items;
DROP TABLE board_meetings;
