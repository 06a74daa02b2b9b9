package client

import (
	"context"
	"net/http"
	"reflect"
	"slices"
	"sync"
	"testing"
)

// Methods of *Client that change nothing on the platform: its reads, the
// POSTs that only ask, and the client's own accessors. Every other
// method must be a WriteKind, so a new method is classified here or there
// before its test passes.
var readMethods = []string{
	"CheckToken", "Me", "Endpoint", "RateLimit", "OnWrite", "Supports",
	"ListEnvironments", "GetEnvironment", "ListDatabaseTypes", "GetDatabaseType",
	"GetDatabase", "ListDatabases", "ListAllDatabases", "ListMonitoringSummary",
	"GetSchedule", "GetBackup", "ListBackups", "ListAllBackups",
	"GetBackupPolicy", "PreviewBackupPolicy", "PreviewCurrentBackupPolicy", "TestConnection",
}

func TestEveryMethodIsAReadOrAWriteKind(t *testing.T) {
	kinds := WriteKinds()
	typ := reflect.TypeFor[*Client]()
	for i := range typ.NumMethod() {
		name := typ.Method(i).Name
		isRead, isWrite := slices.Contains(readMethods, name), slices.Contains(kinds, WriteKind(name))
		if isRead == isWrite {
			t.Errorf("method %s: read %v, write kind %v; list it in readMethods or add a WriteKind "+
				"(and its row in reader.listsChangedBy)", name, isRead, isWrite)
		}
	}
	for _, k := range kinds {
		if _, ok := typ.MethodByName(string(k)); !ok {
			t.Errorf("write kind %q names no method of *Client", k)
		}
	}
}

// recordWrites hooks c and returns what it reported.
func recordWrites(c *Client) func() []Write {
	var mu sync.Mutex
	var got []Write
	c.OnWrite(func(_ context.Context, w Write) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, w)
	})
	return func() []Write {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(got)
	}
}

func TestWriteReportedUnlessRefused(t *testing.T) {
	want := []Write{{Kind: WritePutSchedule, DatabaseID: "d1"}}
	notFound := reply(404, `{"code":"NOT_FOUND","message":"Database not found"}`)
	for name, tc := range map[string]struct {
		handler func(http.ResponseWriter, *http.Request, int)
		want    []Write
	}{
		"2xx":                       {reply(200, `{"schedule":{"id":"s1"}}`), want},
		"4xx refusal":               {reply(400, `{"code":"VALIDATION_ERROR","message":"bad"}`), nil},
		"404":                       {notFound, nil},
		"5xx, which may come late":  {reply(500, `{"code":"INTERNAL","message":"Internal Server Error"}`), want},
		"429 then 2xx":              {failThenOK("0", `{"schedule":{"id":"s1"}}`, 429), want},
		"no answer, then a refusal": {lostThen(t, notFound), want},
	} {
		t.Run(name, func(t *testing.T) {
			f := newFakeAPI(t, tc.handler)
			c, _ := newTestClient(t, f.URL)
			got := recordWrites(c)
			_, _ = c.PutSchedule(context.Background(), "d1", ScheduleInput{CronExpression: "0 2 * * *"})
			if !reflect.DeepEqual(got(), tc.want) {
				t.Errorf("reported %+v, want %+v", got(), tc.want)
			}
		})
	}
}

// lostThen hangs up on the first request and answers the others with h.
func lostThen(t *testing.T, h func(http.ResponseWriter, *http.Request, int)) func(http.ResponseWriter, *http.Request, int) {
	return func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			hangUp(t, w)
			return
		}
		h(w, r, n)
	}
}

func TestReadsAndAskingPOSTsReportNothing(t *testing.T) {
	f := newFakeAPI(t, reply(200, `{"success":true,"latencyMs":3,"database":{"id":"d1"}}`))
	c, _ := newTestClient(t, f.URL)
	got := recordWrites(c)
	_, _ = c.GetDatabase(context.Background(), "d1")
	_, _ = c.TestConnection(context.Background(), "e1", "d1")
	if len(got()) != 0 || f.count() != 2 {
		t.Errorf("reported %+v after %d requests, want nothing after 2", got(), f.count())
	}
}

func TestCallThatDoesNotSayWhatItWritesIsRefused(t *testing.T) {
	f := newFakeAPI(t, reply(200, `{}`))
	c, _ := newTestClient(t, f.URL)
	err := c.do(context.Background(), call{method: http.MethodDelete, path: "/api/databases/d1"}, nil)
	if err == nil || f.count() != 0 {
		t.Fatalf("err = %v after %d requests; want a refusal before anything is sent", err, f.count())
	}
}

func TestWaitForBackupReportsTheEndItSaw(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, _ *http.Request, n int) {
		status := map[bool]string{true: "in_progress", false: "completed"}[n == 1]
		writeJSON(w, 200, `{"backup":{"id":"b1","databaseId":"d1","status":"`+status+`"}}`)
	})
	c, _ := newTestClient(t, f.URL)
	got := recordWrites(c)
	if _, err := c.WaitForBackup(context.Background(), "b1", func(*Backup) {
		if len(got()) != 0 {
			t.Errorf("reported %+v while the backup still ran", got())
		}
	}); err != nil {
		t.Fatal(err)
	}
	if want := []Write{{Kind: WriteBackupFinished, DatabaseID: "d1", BackupID: "b1"}}; !reflect.DeepEqual(got(), want) {
		t.Errorf("reported %+v, want %+v", got(), want)
	}
}
