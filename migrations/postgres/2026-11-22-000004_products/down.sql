DROP TABLE change_requests;
DROP TABLE coordination_members;
DROP TABLE coordination_groups;
DROP TABLE products;
