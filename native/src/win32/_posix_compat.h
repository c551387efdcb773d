/*
 * Force-included (gcc -include) into every file of the Windows build, so that the shared code in
 * native/src/common/ compiles unchanged with mingw: it asks sysconf() for the processor count,
 * which Windows spells GetSystemInfo (support.c). Deliberately free of <windows.h>.
 */
#ifndef OD_POSIX_COMPAT_H
#define OD_POSIX_COMPAT_H

#ifndef _SC_NPROCESSORS_ONLN
#define _SC_NPROCESSORS_ONLN 84
long od_win_cpu_count(void);
#define sysconf(name) ((name) == _SC_NPROCESSORS_ONLN ? od_win_cpu_count() : -1L)
#endif

#endif /* OD_POSIX_COMPAT_H */
