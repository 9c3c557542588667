/*
 * sysmon.h - the system monitor thread (sysmon.c).  Layer 4: uses layers
 * 0-3 and preempt.h.  Started once by gp_init (the start-up edge).
 */
#ifndef GP_SYSMON_H
#define GP_SYSMON_H

void gp_sysmon_start(void);

#endif /* GP_SYSMON_H */
