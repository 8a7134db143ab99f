-- Account deletion: a room outlives its creator (created_by becomes NULL when they go).
ALTER TABLE rooms ALTER COLUMN created_by DROP NOT NULL;
ALTER TABLE rooms DROP CONSTRAINT rooms_created_by_fkey;
ALTER TABLE rooms ADD CONSTRAINT rooms_created_by_fkey
    FOREIGN KEY (created_by) REFERENCES users (id) ON DELETE SET NULL;
