/* Helpers shared by the suites from chapter 1 on: running the chapter's
 * own programs, for the tests of their command lines. */
#include "testutil.h"
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The programs sit beside the test runner, in build/chNN/bin. */
static bool program_path(const char *prog, char *path, size_t len)
{
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n <= 0)
		return false;
	self[n] = '\0';
	char *slash = strrchr(self, '/');
	if (slash == NULL)
		return false;
	*slash = '\0';
	return snprintf(path, len, "%s/%s", self, prog) < (int)len;
}

int run_program(const char *prog, const char *const args[], char *out, size_t outlen)
{
	char path[4200];
	int fds[2];
	out[0] = '\0';
	if (!program_path(prog, path, sizeof path) || access(path, X_OK) != 0 || pipe(fds) != 0)
		return -1;
	const char *argv[32] = { prog };
	size_t n = 1;
	for (size_t i = 0; args[i] != NULL && n < ARRAY_LEN(argv) - 1; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(fds[1], 1);
		dup2(fds[1], 2);
		close(fds[0]);
		close(fds[1]);
		execv(path, (char *const *)argv);
		_exit(127);
	}
	close(fds[1]);
	size_t got = 0;
	time_t deadline = time(NULL) + 60;       /* a command line that is not refused; the
						    longest run (two flows through chapter 8's
						    bottleneck) takes 6 s under the sanitizers */
	for (;;) {
		struct pollfd p = { .fd = fds[0], .events = POLLIN };
		if (poll(&p, 1, 1000) < 0 && errno != EINTR)
			break;
		if (time(NULL) > deadline) {
			kill(pid, SIGKILL);         /* would run for ever: it is a test failure */
			break;
		}
		if (!(p.revents & (POLLIN | POLLHUP)))
			continue;
		char buf[1024];
		ssize_t r = read(fds[0], buf, sizeof buf);
		if (r <= 0)
			break;
		size_t keep = MIN((size_t)r, outlen - 1 - got);
		memcpy(out + got, buf, keep);
		got += keep;
		out[got] = '\0';
	}
	close(fds[0]);
	int status;
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

bool usage_refused(const char *prog, const char *const args[], const char *want)
{
	static char out[16384];
	int status = run_program(prog, args, out, sizeof out);
	if (status == 2 && strstr(out, want) != NULL)
		return true;
	printf("\n  %s", prog);
	for (size_t i = 0; args[i] != NULL; i++)
		printf(" '%s'", args[i]);
	printf(": exit status %d (want 2), and it printed:\n%s  (want: %s)\n", status, out, want);
	return false;
}
