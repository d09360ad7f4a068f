/* Process confinement for the decoder: root's rights dropped, no_new_privs,
 * rlimits, Landlock and a seccomp-bpf filter written out here (no
 * libseccomp). Landlock says what the file system allows; the filter is a
 * deny list on top that also covers what Landlock does not (sockets of
 * every family, exec, ptrace, signals to other processes), returning EPERM
 * so libraries fail cleanly. */
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/landlock.h>
#include <linux/seccomp.h>

#include "image/confine.h"

/* Newer Landlock rights than the Debian headers know; the values are
 * kernel ABI and never change. */
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)	/* ABI 3 */
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV (1ULL << 15)	/* ABI 5 */
#endif
#ifndef LANDLOCK_ACCESS_NET_BIND_TCP
#define LANDLOCK_ACCESS_NET_BIND_TCP (1ULL << 0)	/* ABI 4 */
#define LANDLOCK_ACCESS_NET_CONNECT_TCP (1ULL << 1)
#endif
#ifndef LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET
#define LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0)	/* ABI 6 */
#define LANDLOCK_SCOPE_SIGNAL (1ULL << 1)
#endif

/* struct landlock_ruleset_attr as of ABI 6; older kernels take a prefix */
struct ll_ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
	uint64_t scoped;
};

struct ll_path_beneath {
	uint64_t allowed_access;
	int32_t parent_fd;
} __attribute__((packed));

#if defined(__x86_64__)
#define SB_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define SB_ARCH AUDIT_ARCH_AARCH64
#endif

int
pgal_sandbox_landlock_abi(void)
{
	long v;

	v = syscall(SYS_landlock_create_ruleset, NULL, 0,
	    LANDLOCK_CREATE_RULESET_VERSION);
	return v < 0 ? 0 : (int)v;
}

int
pgal_sandbox_rlimits(int cpu_secs, pgal_err *e)
{
	struct rlimit cpu = { (rlim_t)cpu_secs, (rlim_t)cpu_secs + 1 };
	struct rlimit zero = { 0, 0 };

	if (cpu_secs < 1)
		return pgal_fail(e, PGAL_EUSAGE, "bad CPU limit");
	if (setrlimit(RLIMIT_CPU, &cpu) != 0 ||
	    setrlimit(RLIMIT_FSIZE, &zero) != 0 ||
	    setrlimit(RLIMIT_CORE, &zero) != 0)
		return pgal_fail(e, PGAL_EBACKEND, "setrlimit: %s",
		    strerror(errno));
	return PGAL_OK;
}

#if defined(__SANITIZE_ADDRESS__)
/* VmData of this process in bytes, 0 when unknown. */
static int64_t
vm_data(void)
{
	char line[256];
	long long kb = 0;
	FILE *f;

	if ((f = fopen("/proc/self/status", "re")) == NULL)
		return 0;
	while (fgets(line, sizeof line, f) != NULL)
		if (sscanf(line, "VmData: %lld kB", &kb) == 1)
			break;
	fclose(f);
	return (int64_t)kb * 1024;
}
#endif

int
pgal_sandbox_memory(int64_t bytes, pgal_err *e)
{
	struct rlimit rl;
	int64_t base = 0;

	if (bytes < 1)
		return pgal_fail(e, PGAL_EUSAGE, "bad memory limit");
#if defined(__SANITIZE_ADDRESS__)
	base = vm_data();
#endif
	rl.rlim_cur = rl.rlim_max = (rlim_t)(base + bytes);
	if (setrlimit(RLIMIT_DATA, &rl) != 0)
		return pgal_fail(e, PGAL_EBACKEND, "setrlimit RLIMIT_DATA: %s",
		    strerror(errno));
	return PGAL_OK;
}

/* Every file system right the kernel's ABI knows: what is not granted by a
 * rule is then denied. */
static uint64_t
ll_fs_rights(int abi)
{
	uint64_t r = (LANDLOCK_ACCESS_FS_MAKE_SYM << 1) - 1;	/* ABI 1 */

	if (abi >= 2)
		r |= LANDLOCK_ACCESS_FS_REFER;
	if (abi >= 3)
		r |= LANDLOCK_ACCESS_FS_TRUNCATE;
	if (abi >= 5)
		r |= LANDLOCK_ACCESS_FS_IOCTL_DEV;
	return r;
}

/* ---- privileges ---- */

struct caps {
	uint64_t eff, prm, inh;
};

static int
caps_get(struct caps *c)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];

	memset(d, 0, sizeof d);
	if (syscall(SYS_capget, &h, d) != 0)
		return -1;
	c->eff = d[0].effective | (uint64_t)d[1].effective << 32;
	c->prm = d[0].permitted | (uint64_t)d[1].permitted << 32;
	c->inh = d[0].inheritable | (uint64_t)d[1].inheritable << 32;
	return 0;
}

/* Lowering every set is always allowed. */
static int
caps_clear(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];

	memset(d, 0, sizeof d);
	return (int)syscall(SYS_capset, &h, d);
}

/* The bounding set counts only across an exec, which no_new_privs and the
 * filter stop anyway; emptied all the same when CAP_SETPCAP allows. */
static int
bounding_drop(void)
{
	int cap;

	for (cap = 0; cap < 64; cap++) {
		if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) < 0)
			break;	/* past the last one this kernel knows */
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0)
			return -1;
	}
	return 0;
}

static int
bounding_empty(void)
{
	int cap, r;

	for (cap = 0; cap < 64; cap++) {
		if ((r = prctl(PR_CAPBSET_READ, cap, 0, 0, 0)) < 0)
			break;
		if (r != 0)
			return 0;
	}
	return 1;
}

int
pgal_sandbox_drop_privs(pgal_err *e)
{
	const uid_t id = PGAL_SANDBOX_UID;
	const char *step = NULL;
	uid_t ru, eu, su;
	gid_t rg, eg, sg;
	struct caps c;
	pid_t parent = getppid();
	int root, setpcap, sig = 0;

	if (getresuid(&ru, &eu, &su) != 0 || getresgid(&rg, &eg, &sg) != 0 ||
	    caps_get(&c) != 0)
		return pgal_fail(e, PGAL_EBACKEND, "cannot read the decoder's "
		    "credentials: %s", strerror(errno));
	root = ru == 0 || eu == 0 || su == 0;
	if (!root && c.eff == 0 && c.prm == 0 && c.inh == 0)
		return PGAL_OK;
	setpcap = (c.eff & (UINT64_C(1) << CAP_SETPCAP)) != 0;
	/* a change of uid clears it: read now, set again below */
	if (prctl(PR_GET_PDEATHSIG, &sig, 0, 0, 0) != 0)
		step = "PR_GET_PDEATHSIG";
	else if (setpcap && bounding_drop() != 0)
		step = "PR_CAPBSET_DROP";
	/* kernels before 4.3 have no ambient set (EINVAL) */
	else if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 &&
	    errno != EINVAL)
		step = "PR_CAP_AMBIENT_CLEAR_ALL";
	/* groups and gid first, while the uid still allows it; keepcaps off,
	 * so the uid change empties the permitted and effective sets */
	else if (root && prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) != 0)
		step = "PR_SET_KEEPCAPS";
	else if (root && setgroups(0, NULL) != 0)
		step = "setgroups";
	else if (root && setresgid(id, id, id) != 0)
		step = "setresgid";
	else if (root && setresuid(id, id, id) != 0)
		step = "setresuid";
	/* whatever securebits would keep */
	else if (caps_clear() != 0)
		step = "capset";
	if (step != NULL && root)
		return pgal_fail(e, PGAL_EBACKEND, "cannot drop the decoder's "
		    "privileges (%s to uid %d): %s", step, (int)id,
		    strerror(errno));
	if (step != NULL)
		return pgal_fail(e, PGAL_EBACKEND, "cannot drop the decoder's "
		    "capabilities (%s): %s", step, strerror(errno));

	/* then believe only what the kernel says now */
	if (getresuid(&ru, &eu, &su) != 0 || getresgid(&rg, &eg, &sg) != 0 ||
	    caps_get(&c) != 0 || c.eff != 0 || c.prm != 0 || c.inh != 0 ||
	    (setpcap && !bounding_empty()) ||
	    (root && (ru != id || eu != id || su != id || rg != id ||
	    eg != id || sg != id || getgroups(0, NULL) != 0 || setuid(0) == 0)))
		return pgal_fail(e, PGAL_EBACKEND, "the decoder kept privileges "
		    "it dropped");
	if (sig != 0 && prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0) != 0)
		return pgal_fail(e, PGAL_EBACKEND, "parent-death signal: %s",
		    strerror(errno));
	if (getppid() != parent)
		return pgal_fail(e, PGAL_EBACKEND, "the decoder's caller is gone");
	return PGAL_OK;
}

/* 1 applied, 0 no Landlock in this kernel, or an error. */
static int
landlock(int read_fd, int *applied, pgal_err *e)
{
	struct ll_ruleset_attr attr;
	struct ll_path_beneath rule;
	size_t size;
	int abi, rfd, rc = PGAL_OK;

	*applied = 0;
	if ((abi = pgal_sandbox_landlock_abi()) < 1)
		return PGAL_OK;
	memset(&attr, 0, sizeof attr);
	attr.handled_access_fs = ll_fs_rights(abi);
	size = sizeof attr.handled_access_fs;
	if (abi >= 4) {
		/* no rule: no TCP bind or connect */
		attr.handled_access_net = LANDLOCK_ACCESS_NET_BIND_TCP |
		    LANDLOCK_ACCESS_NET_CONNECT_TCP;
		size = offsetof(struct ll_ruleset_attr, scoped);
	}
	if (abi >= 6) {
		/* no signals to, nor abstract sockets of, processes outside */
		attr.scoped = LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET |
		    LANDLOCK_SCOPE_SIGNAL;
		size = sizeof attr;
	}
	if ((rfd = (int)syscall(SYS_landlock_create_ruleset, &attr, size, 0)) < 0)
		return pgal_fail(e, PGAL_EBACKEND, "landlock_create_ruleset: %s",
		    strerror(errno));
	if (read_fd >= 0) {
		/* a rule on the file itself: that inode, nothing around it */
		memset(&rule, 0, sizeof rule);
		rule.allowed_access = LANDLOCK_ACCESS_FS_READ_FILE;
		rule.parent_fd = read_fd;
		if (syscall(SYS_landlock_add_rule, rfd, LANDLOCK_RULE_PATH_BENEATH,
		    &rule, 0) != 0) {
			rc = pgal_fail(e, PGAL_EBACKEND, "landlock_add_rule: %s",
			    strerror(errno));
			goto out;
		}
	}
	if (syscall(SYS_landlock_restrict_self, rfd, 0) != 0) {
		rc = pgal_fail(e, PGAL_EBACKEND, "landlock_restrict_self: %s",
		    strerror(errno));
		goto out;
	}
	*applied = 1;
out:
	close(rfd);
	return rc;
}

/* ---- seccomp ---- */

#define SB_MAXINSN 512
#define SB_EPERM (SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA))
#define SB_ENOSYS (SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA))

struct sb_prog {
	struct sock_filter insn[SB_MAXINSN];
	size_t n;
	int full;
};

/* The low 32 bits of argument i (little-endian on both architectures;
 * the kernel reads flags, pids and fds as int). */
#define SB_ARG_LO(i) (offsetof(struct seccomp_data, args) + (i) * sizeof(uint64_t))

static void
emit(struct sb_prog *p, uint16_t code, uint32_t k, uint8_t jt, uint8_t jf)
{
	if (p->n == SB_MAXINSN) {
		p->full = 1;
		return;
	}
	p->insn[p->n].code = code;
	p->insn[p->n].jt = jt;
	p->insn[p->n].jf = jf;
	p->insn[p->n].k = k;
	p->n++;
}

static void
ret(struct sb_prog *p, uint32_t what)
{
	emit(p, BPF_RET | BPF_K, what, 0, 0);
}

/* nr -> EPERM (or another errno). The accumulator holds nr throughout. */
static void
deny(struct sb_prog *p, long nr, uint32_t what)
{
	emit(p, BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)nr, 0, 1);
	ret(p, what);
}

/* nr with any bit of mask in argument i -> EPERM, without: allowed. */
static void
deny_flags(struct sb_prog *p, long nr, int i, uint32_t mask)
{
	emit(p, BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)nr, 0, 4);
	emit(p, BPF_LD | BPF_W | BPF_ABS, SB_ARG_LO(i), 0, 0);
	emit(p, BPF_JMP | BPF_JSET | BPF_K, mask, 0, 1);
	ret(p, SB_EPERM);
	ret(p, SECCOMP_RET_ALLOW);
}

/* nr allowed only with argument i equal to v, else EPERM. */
static void
only_arg(struct sb_prog *p, long nr, int i, uint32_t v)
{
	emit(p, BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)nr, 0, 4);
	emit(p, BPF_LD | BPF_W | BPF_ABS, SB_ARG_LO(i), 0, 0);
	emit(p, BPF_JMP | BPF_JEQ | BPF_K, v, 1, 0);
	ret(p, SB_EPERM);
	ret(p, SECCOMP_RET_ALLOW);
}

/* Refused outright: running programs, the network and IPC peers, other
 * processes' memory, changes to the file system, namespaces and kernel
 * facilities a decoder has no use for (io_uring would bypass the filter). */
static const long denied[] = {
	SYS_execve, SYS_execveat,
	SYS_socket, SYS_socketpair, SYS_connect, SYS_bind, SYS_listen,
	SYS_accept, SYS_accept4,
	SYS_ptrace, SYS_process_vm_readv, SYS_process_vm_writev,
	SYS_process_madvise, SYS_pidfd_open, SYS_pidfd_getfd,
	SYS_pidfd_send_signal, SYS_kcmp, SYS_tkill,
	SYS_linkat, SYS_symlinkat, SYS_unlinkat, SYS_renameat2, SYS_mkdirat,
	SYS_mknodat, SYS_fchmod, SYS_fchmodat, SYS_fchown, SYS_fchownat,
	SYS_truncate, SYS_utimensat,
	SYS_setxattr, SYS_lsetxattr, SYS_fsetxattr, SYS_removexattr,
	SYS_lremovexattr, SYS_fremovexattr,
	SYS_open_by_handle_at, SYS_name_to_handle_at,
	SYS_mount, SYS_umount2, SYS_pivot_root, SYS_chroot, SYS_unshare,
	SYS_setns, SYS_swapon, SYS_swapoff, SYS_reboot, SYS_init_module,
	SYS_finit_module, SYS_delete_module, SYS_kexec_load,
	SYS_acct, SYS_quotactl, SYS_bpf, SYS_perf_event_open, SYS_userfaultfd,
	SYS_keyctl, SYS_add_key, SYS_request_key, SYS_fanotify_init,
	SYS_io_uring_setup, SYS_io_uring_enter, SYS_io_uring_register,
	/* what a decoder run by root could otherwise do with its capabilities */
	SYS_setrlimit, SYS_settimeofday, SYS_clock_settime, SYS_clock_adjtime,
	SYS_adjtimex, SYS_syslog, SYS_sethostname, SYS_setdomainname,
	SYS_vhangup, SYS_setpriority,
	/* identity and capabilities: pgal_sandbox_drop_privs is done by now */
	SYS_setuid, SYS_setgid, SYS_setreuid, SYS_setregid, SYS_setresuid,
	SYS_setresgid, SYS_setgroups, SYS_setfsuid, SYS_setfsgid, SYS_capset,
#ifdef SYS_iopl
	SYS_iopl, SYS_ioperm,
#endif
#ifdef SYS_fchmodat2
	SYS_fchmodat2,
#endif
#ifdef SYS_kexec_file_load
	SYS_kexec_file_load,
#endif
#ifdef SYS_open_tree
	SYS_open_tree, SYS_move_mount, SYS_fsopen, SYS_fsconfig, SYS_fsmount,
	SYS_fspick,
#endif
	/* the legacy calls aarch64 never had */
#ifdef SYS_creat
	SYS_creat, SYS_link, SYS_symlink, SYS_unlink, SYS_rename,
	SYS_mkdir, SYS_rmdir, SYS_mknod, SYS_chmod, SYS_chown, SYS_lchown,
	SYS_utime, SYS_utimes, SYS_futimesat,
#endif
#ifdef SYS_renameat
	SYS_renameat,
#endif
};

static int
build_filter(struct sb_prog *p, pid_t self)
{
	/* libc's __O_TMPFILE carries O_DIRECTORY, which reading needs */
	const uint32_t wflags = O_WRONLY | O_RDWR | O_CREAT | O_TRUNC |
	    O_APPEND | (__O_TMPFILE & ~O_DIRECTORY);
	const uint32_t newns = CLONE_NEWNS | CLONE_NEWUSER | CLONE_NEWPID |
	    CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWCGROUP;
	size_t i;

	memset(p, 0, sizeof *p);
	/* another ABI's numbers would mean other calls: kill */
	emit(p, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch), 0, 0);
	emit(p, BPF_JMP | BPF_JEQ | BPF_K, SB_ARCH, 1, 0);
	ret(p, SECCOMP_RET_KILL_PROCESS);
	emit(p, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr), 0, 0);
#if defined(__x86_64__)
	/* x32 numbers reach the same calls under other numbers */
	emit(p, BPF_JMP | BPF_JGE | BPF_K, 0x40000000U, 0, 1);
	ret(p, SB_EPERM);
#endif
	for (i = 0; i < sizeof denied / sizeof denied[0]; i++)
		deny(p, denied[i], SB_EPERM);
	/* opening for reading only (Landlock decides which files) */
#ifdef SYS_open
	deny_flags(p, SYS_open, 1, wflags);
#endif
	deny_flags(p, SYS_openat, 2, wflags);
	/* its flags are behind a pointer the filter cannot read; libc falls
	 * back to openat on ENOSYS */
	deny(p, SYS_openat2, SB_ENOSYS);
	/* threads yes; new processes (they would outlive a kill of this one)
	 * and namespaces no. clone3's flags are behind a pointer too, and
	 * glibc falls back to clone on ENOSYS */
	emit(p, BPF_JMP | BPF_JEQ | BPF_K, SYS_clone, 0, 5);
	emit(p, BPF_LD | BPF_W | BPF_ABS, SB_ARG_LO(0), 0, 0);
	emit(p, BPF_JMP | BPF_JSET | BPF_K, newns, 2, 0);
	emit(p, BPF_JMP | BPF_JSET | BPF_K, CLONE_THREAD, 0, 1);
	ret(p, SECCOMP_RET_ALLOW);
	ret(p, SB_EPERM);
	deny(p, SYS_clone3, SB_ENOSYS);
#ifdef SYS_fork
	deny(p, SYS_fork, SB_EPERM);
	deny(p, SYS_vfork, SB_EPERM);
#endif
	/* signals to this process only (raise, abort, pthread_kill) */
	only_arg(p, SYS_kill, 0, (uint32_t)self);
	only_arg(p, SYS_tgkill, 0, (uint32_t)self);
	only_arg(p, SYS_rt_sigqueueinfo, 0, (uint32_t)self);
	only_arg(p, SYS_rt_tgsigqueueinfo, 0, (uint32_t)self);
	/* limits may be read, not set: root could raise the hard ones */
	emit(p, BPF_JMP | BPF_JEQ | BPF_K, SYS_prlimit64, 0, 6);
	emit(p, BPF_LD | BPF_W | BPF_ABS, SB_ARG_LO(2), 0, 0);
	emit(p, BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 3);
	emit(p, BPF_LD | BPF_W | BPF_ABS, SB_ARG_LO(2) + 4, 0, 0);
	emit(p, BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1);
	ret(p, SECCOMP_RET_ALLOW);
	ret(p, SB_EPERM);
	ret(p, SECCOMP_RET_ALLOW);
	return p->full ? -1 : 0;
}

static int
seccomp_filter(pgal_err *e)
{
#ifdef SB_ARCH
	static struct sb_prog p;
	struct sock_fprog prog;

	if (build_filter(&p, getpid()) != 0)
		return pgal_fail(e, PGAL_EBACKEND, "seccomp filter too long");
	prog.len = (unsigned short)p.n;
	prog.filter = p.insn;
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
	    SECCOMP_FILTER_FLAG_TSYNC, &prog) != 0)
		return pgal_fail(e, PGAL_EBACKEND, "seccomp: %s", strerror(errno));
	return PGAL_OK;
#else
	return pgal_fail(e, PGAL_EBACKEND,
	    "no seccomp filter for this architecture (set decode_sandbox = no)");
#endif
}

/* Threads started before the sandbox would escape Landlock, which binds
 * only the calling thread. */
static int
threads(void)
{
	DIR *d;
	struct dirent *de;
	int n = 0;

	if ((d = opendir("/proc/self/task")) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] != '.')
			n++;
	}
	closedir(d);
	return n;
}

int
pgal_sandbox_enter(int read_fd, int *landlocked, pgal_err *e)
{
	int rc, applied = 0;

	if (landlocked != NULL)
		*landlocked = 0;
	if (threads() != 1)
		return pgal_fail(e, PGAL_EBACKEND,
		    "the sandbox needs a single-threaded process");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return pgal_fail(e, PGAL_EBACKEND, "no_new_privs: %s",
		    strerror(errno));
	/* PR_SET_DUMPABLE 0: no ptrace attach, no /proc/<pid>/mem for others */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		return pgal_fail(e, PGAL_EBACKEND, "dumpable: %s", strerror(errno));
	if ((rc = landlock(read_fd, &applied, e)) != PGAL_OK)
		return rc;
	if ((rc = seccomp_filter(e)) != PGAL_OK)
		return rc;
	if (landlocked != NULL)
		*landlocked = applied;
	return PGAL_OK;
}
