-- Slots start on :00/:30 UTC inside the month, and every region has every slot of the month once (dense).
with misplaced as (
    select region_code, slot_s, 'misplaced' as failure
    from month_cell_slots
    where slot_s % 1800 <> 0 or slot_s < getvariable('month_start_s') or slot_s >= getvariable('month_end_s')
),

counts as (
    select region_code, null::bigint as slot_s, 'not dense' as failure
    from month_cell_slots
    group by region_code
    having count(*) <> (getvariable('month_end_s') - getvariable('month_start_s')) // 1800
        or count(distinct slot_s) <> count(*)
)

select * from misplaced
union all
select * from counts
