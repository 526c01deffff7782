#!/usr/bin/env bash
# Runs the real descent program for one case: tests/cli/run.sh DESCENT CASE SOURCE_DIR WORK_DIR.
# Bad input must exit non-zero with exactly one line on stderr that starts with "error:" and says what is wrong;
# round trips must reach the accuracy the README documents, checked here from predict's output, not only from
# evaluate's report.
set -euo pipefail
descent=$1
case_name=$2
source_dir=$3
work=$4
rm -rf "$work"
mkdir -p "$work"
cd "$work"

configs=$source_dir/examples/configs
datasets=$source_dir/datasets

die() {
  echo "FAIL ($case_name): $*" >&2
  exit 1
}

# expect_error "text the message must contain" [more texts...] -- command...
expect_error() {
  local needles=()
  while [ "$1" != "--" ]; do
    needles+=("$1")
    shift
  done
  shift
  local code=0
  "$@" >out.txt 2>err.txt || code=$?
  [ "$code" -ne 0 ] || die "expected a failure from: $*; it exited 0"
  local lines
  lines=$(wc -l <err.txt)
  [ "$lines" -eq 1 ] || die "expected one line on stderr, got $lines: $(cat err.txt)"
  grep -q '^error: ' err.txt || die "stderr does not start with 'error: ': $(cat err.txt)"
  for n in "${needles[@]}"; do
    grep -qF -- "$n" err.txt || die "stderr lacks \"$n\": $(cat err.txt)"
  done
}

expect_ok() {
  "$@" >out.txt 2>err.txt || die "exit $? from: $* -- $(cat err.txt)"
}

# A 2-feature binary config without an input shape, in the Keras 2 dialect.
small_config() {
  cat >small.json <<'EOF'
{"class_name": "Sequential", "config": {"name": "small", "layers": [
  {"class_name": "Dense", "config": {"units": 4, "activation": "tanh"}},
  {"class_name": "Dense", "config": {"units": 1, "activation": "sigmoid"}}]}}
EOF
}

# A linear regression config (one linear unit, mean squared error, SGD at 0.1) without an input shape.
linear_config() {
  cat >linear.json <<'EOF'
{"class_name": "Sequential", "config": {"name": "linear", "layers": [
  {"class_name": "Dense", "config": {"units": 1, "activation": "linear"}}]},
 "training_config": {"loss": "mean_squared_error",
  "optimizer_config": {"class_name": "SGD", "config": {"learning_rate": 0.1}}}}
EOF
}

# Fraction of rows whose predicted label (last column of predictions) equals the label column of the data file;
# the label column is found by name in the data's header.
predicted_accuracy() {
  local predictions=$1 data=$2 label=$3
  awk -F, -v label="$label" '
    FNR == 1 { if (NR == 1) next; for (i = 1; i <= NF; i++) if ($i == label) col = i; next }
    NR == FNR { predicted[FNR] = $NF; next }
    { total++; if ($col == predicted[FNR]) right++ }
    END { if (total == 0) print 0; else printf "%.4f\n", right / total }' "$predictions" "$data"
}

at_least() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 >= b + 0) }'; }

# Reorders the columns of a comma-separated file: last column first, the rest reversed.
reverse_columns() {
  awk -F, 'BEGIN { OFS = "," } { line = $NF; for (i = NF - 1; i >= 1; i--) line = line OFS $i; print line }' "$1"
}

round_trip() {
  local data=$1 config=$2 label=$3 minimum=$4 epochs=$5
  expect_ok "$descent" split "$data" --label "$label"
  local stem
  stem=$(basename "$data" .csv)
  expect_ok "$descent" fit "$config" --data "${stem}_train.csv" --label "$label" --epochs "$epochs" --out model
  grep -q "Saved the model to model" out.txt || die "fit did not report the save: $(cat out.txt)"
  for f in model.json weights.bin descent.json; do [ -s "model/$f" ] || die "model/$f missing"; done
  expect_ok "$descent" evaluate model --data "${stem}_test.csv" --label "$label"
  local reported
  reported=$(awk '$1 == "accuracy" { print $2 }' out.txt)
  echo "$stem: evaluate reports accuracy $reported"
  at_least "$reported" "$minimum" || die "evaluate accuracy $reported < $minimum"
  grep -q "Confusion matrix" out.txt || die "no confusion matrix: $(cat out.txt)"
  grep -q "precision" out.txt || die "no per-class precision: $(cat out.txt)"
  expect_ok "$descent" predict model --data "${stem}_test.csv" --output predictions.csv
  local rows
  rows=$(($(wc -l <"${stem}_test.csv") - 1))
  [ "$(($(wc -l <predictions.csv) - 1))" -eq "$rows" ] || die "predictions.csv does not have $rows rows"
  local measured
  measured=$(predicted_accuracy predictions.csv "${stem}_test.csv" "$label")
  echo "$stem: predict's labels are right for $measured of the test rows"
  at_least "$measured" "$minimum" || die "predicted accuracy $measured < $minimum"
  awk -v a="$measured" -v b="$reported" 'BEGIN { d = a - b; exit !(d < 1e-3 && d > -1e-3) }' ||
    die "predict ($measured) and evaluate ($reported) disagree"
  # Columns are matched by name: the same rows with the columns in another order give the same predictions.
  reverse_columns "${stem}_test.csv" >reordered.csv
  expect_ok "$descent" predict model --data reordered.csv
  cmp -s out.txt predictions.csv || die "predictions depend on the column order"
  expect_ok "$descent" summary model
  grep -q "Total params" out.txt || die "summary lacks the table: $(cat out.txt)"
}

# Two features and a yes/no label (yes when a + b > 0), the label in the middle, an id column first.
side_data() {
  awk 'BEGIN { srand(3); print "id,a,label,b"; for (i = 0; i < 200; i++) { a = rand() * 2 - 1; b = rand() * 2 - 1;
    print i "," a "," (a + b > 0 ? "yes" : "no") "," b } }' >side.csv
}

# A config whose last layer is linear and whose loss takes logits: $1 units, $2 the loss's class name.
logits_config() {
  cat >logits.json <<EOF
{"class_name": "Sequential", "config": {"name": "logits", "layers": [
  {"class_name": "Dense", "config": {"units": 8, "activation": "tanh"}},
  {"class_name": "Dense", "config": {"units": $1, "activation": "linear"}}]},
 "training_config": {"loss": {"class_name": "$2", "config": {"from_logits": true}}, "metrics": ["accuracy"],
  "optimizer_config": {"class_name": "Adam", "config": {"learning_rate": 0.05}}}}
EOF
}

# Every row of a predictions file: the p_ columns lie in [0, 1] and add up to 1, and the label (last column) is the
# class of the largest one (its name after "p_").
check_probabilities() {
  awk -F, 'NR == 1 { for (i = 1; i < NF; i++) name[i] = substr($i, 3); next }
    { s = 0; best = 1; for (i = 1; i < NF; i++) { if ($i < 0 || $i > 1) bad = 1; s += $i; if ($i > $best) best = i }
      if (bad || s < 0.9999 || s > 1.0001 || $NF != name[best]) { print "row " NR ": " $0; exit 1 } }' "$1" \
    >bad_row.txt || die "not probabilities and their most probable label: $(cat bad_row.txt)"
}

# Debian's dataset-fashion-mnist: the four IDX files of Fashion-MNIST, gzipped.
fashion=/usr/share/datasets/fashion-mnist
need_fashion() {
  [ -r "$fashion/train-images-idx3-ubyte.gz" ] ||
    die "Fashion-MNIST is missing from $fashion: sudo apt-get install dataset-fashion-mnist"
}

# The first $1 training images of Fashion-MNIST as a CSV in Kaggle's layout, "label,pixel1,...,pixel784", one image
# a row with its pixels in reading order, written to $2 (od turns the IDX bytes after the 8- and 16-byte headers
# into numbers).
fashion_csv() {
  local n=$1
  need_fashion
  {
    seq 784 | awk 'BEGIN { printf "label" } { printf ",pixel%d", $1 } END { print "" }'
    paste -d, \
      <(zcat "$fashion/train-labels-idx1-ubyte.gz" | tail -c +9 | head -c "$n" | od -An -v -tu1 -w1 | tr -d ' ') \
      <(zcat "$fashion/train-images-idx3-ubyte.gz" | tail -c +17 | head -c $((784 * n)) |
        od -An -v -tu1 -w784 | sed 's/^ *//; s/ \+/,/g')
  } >"$2"
  [ "$(wc -l <"$2")" -eq $((n + 1)) ] || die "fashion_csv wrote $(wc -l <"$2") lines to $2; expected $((n + 1))"
}

# Replaces the line after the first line containing $2 in file $1 with $3 (descent.json puts one value on a line).
replace_after() {
  awk -v key="$2" -v with="$3" 'done != 1 && index($0, key) { print; getline; print with; done = 1; next } { print }' \
    "$1" >"$1.new" && mv "$1.new" "$1"
}

case "$case_name" in
  missing_file)
    expect_error "missing.csv" "no such file" -- \
      "$descent" fit "$configs/breast_cancer_keras3.json" --data missing.csv --label malignant
    expect_error "nope.json" -- "$descent" fit nope.json --data "$datasets/iris.csv" --label species
    ;;
  unreadable_file)
    small_config
    printf 'a,b,c\n1,2,0\n' >locked.csv
    if [ "$(id -u)" -ne 0 ]; then
      chmod 000 locked.csv
      expect_error "locked.csv" "cannot open" -- "$descent" fit small.json --data locked.csv --label c
    else
      # root reads any file; a path through a regular file cannot be opened by anyone.
      expect_error "locked.csv/data.csv" "cannot open" -- \
        "$descent" fit small.json --data locked.csv/data.csv --label c
    fi
    ;;
  directory_as_data)
    small_config
    mkdir folder
    expect_error "folder" "is a directory" -- "$descent" fit small.json --data folder --label c
    ;;
  empty_file)
    small_config
    : >empty.csv
    expect_error "empty.csv" "the file is empty" -- "$descent" fit small.json --data empty.csv --label c
    ;;
  header_only)
    small_config
    printf 'a,b,c\n' >header.csv
    expect_error "header.csv" "no data rows" -- "$descent" fit small.json --data header.csv --label c
    ;;
  unknown_label)
    small_config
    printf 'alpha,beta,gamma\n1,2,0\n3,4,1\n' >data.csv
    expect_error 'no label column "delta"' '"alpha", "beta", "gamma"' -- \
      "$descent" fit small.json --data data.csv --label delta
    ;;
  ragged_rows)
    small_config
    printf 'a,b,c\n1,2,0\n3,4\n' >ragged.csv
    expect_error "ragged.csv:3" "expected 3 fields" "received 2" -- \
      "$descent" fit small.json --data ragged.csv --label c
    ;;
  non_numeric)
    small_config
    printf 'a,b,c\n1,2,0\n3,oops,1\n' >cells.csv
    expect_error 'cells.csv:3: column 2 ("b") holds "oops"' -- "$descent" fit small.json --data cells.csv --label c
    printf 'a,b,c\n1,,0\n3,4,1\n' >blank.csv
    expect_error 'blank.csv:2: column 2 ("b") is empty' -- "$descent" fit small.json --data blank.csv --label c
    ;;
  width_mismatch)
    expect_error "breast_cancer_keras3.json" "takes 30 input features" "has 4 feature columns" -- \
      "$descent" fit "$configs/breast_cancer_keras3.json" --data "$datasets/iris.csv" --label species
    ;;
  class_mismatch)
    small_config
    awk -F, 'NR == 1 { print "x,y,species"; next } { print $1 "," $2 "," $5 }' "$datasets/iris.csv" >three.csv
    expect_error 'holds 3 classes' "1 sigmoid unit" "binary classifier" "softmax" -- \
      "$descent" fit small.json --data three.csv --label species
    ;;
  unwritable_out_parent)
    small_config
    printf 'a,b,c\n1,2,0\n3,4,1\n' >data.csv
    : >plain_file
    expect_error "plain_file" "not a directory" -- \
      "$descent" fit small.json --data data.csv --label c --out plain_file/model
    [ -f plain_file ] && [ ! -s plain_file ] || die "plain_file changed"
    [ -z "$(find . -name '.*saving*')" ] || die "a staging directory was left behind"
    ;;
  unwritable_out_foreign)
    small_config
    printf 'a,b,c\n1,2,0\n3,4,1\n' >data.csv
    mkdir precious
    echo keep >precious/notes.txt
    expect_error "refusing to replace precious" "notes.txt" -- \
      "$descent" fit small.json --data data.csv --label c --out precious
    [ "$(cat precious/notes.txt)" = keep ] && [ "$(ls precious)" = notes.txt ] || die "precious/ was touched"
    ;;
  out_disk_full)
    # A first save succeeds; a second one under a 1 KiB file-size limit fails part-way through weights.bin. The
    # first model must survive byte for byte and no staging directory may remain.
    expect_ok "$descent" fit "$configs/breast_cancer_keras3.json" --data "$datasets/breast_cancer.csv" \
      --label malignant --epochs 2 --out model
    sums=$(cd model && md5sum model.json weights.bin descent.json)
    code=0
    err=$( (ulimit -f 1; exec "$descent" fit "$configs/breast_cancer_keras3.json" --data \
      "$datasets/breast_cancer.csv" --label malignant --epochs 3 --seed 9 --out model --verbose 0 2>&1 >/dev/null) ) ||
      code=$?
    [ "$code" -ne 0 ] || die "the save under a 1 KiB limit succeeded"
    [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] || die "expected one error line: $err"
    case "$err" in error:*) ;; *) die "unexpected message: $err" ;; esac
    echo "$err" | grep -q "writing failed" || die "the message does not say writing failed: $err"
    [ "$(cd model && md5sum model.json weights.bin descent.json)" = "$sums" ] || die "the previous model changed"
    [ "$(ls model | sort | tr '\n' ' ')" = "descent.json model.json weights.bin " ] || die "model/ holds $(ls model)"
    [ -z "$(find . -name '.*saving*')" ] || die "a staging directory was left behind: $(find . -name '.*saving*')"
    ;;
  not_a_model)
    mkdir empty_dir other
    echo hello >other/readme.txt
    expect_error "empty_dir is not a model saved by descent fit" "empty" -- \
      "$descent" evaluate empty_dir --data "$datasets/iris.csv" --label species
    expect_error "other is not a model saved by descent fit" "readme.txt" -- \
      "$descent" predict other --data "$datasets/iris.csv"
    expect_error "no_such_dir" "No such file or directory" -- "$descent" predict no_such_dir --data "$datasets/iris.csv"
    expect_error "is a file, not a saved model" -- "$descent" evaluate other/readme.txt --data "$datasets/iris.csv"
    ;;
  hostile_json)
    # 200 000 levels of nesting crashed the parser's recursion once; now the depth is checked in one pass first.
    deep=$(head -c 200000 /dev/zero | tr '\0' '[')
    printf '%s' "$deep" >deep.json
    expect_error "deep.json: JSON nested deeper than 100 levels at line 1, column 101" -- \
      "$descent" fit deep.json --data "$datasets/iris.csv" --label species
    expect_ok "$descent" fit "$configs/iris_keras3.json" --data "$datasets/iris.csv" --label species --epochs 1 \
      --out model --verbose 0
    printf '{"format": %s' "$deep" >model/descent.json
    expect_error "descent.json: JSON nested deeper than 100 levels" -- "$descent" predict model --data "$datasets/iris.csv"
    # A config's absurd size is refused from the shape, before the 4.9 GB kernel is allocated.
    printf '%s' '{"class_name": "Sequential", "config": {"layers": [
      {"class_name": "Dense", "config": {"units": 20000000, "batch_input_shape": [null, 61]}}]}}' >huge.json
    expect_error "Dense 'dense': weight 'kernel' of shape (61, 20000000): more than the 2^28 elements" -- "$descent" summary huge.json
    # A FIFO in place of a file is refused, not waited on (the model check takes only regular files).
    rm model/descent.json && mkfifo model/descent.json
    expect_error "descent.json (preprocessing): not a regular file (a FIFO)" -- "$descent" predict model --data "$datasets/iris.csv"
    ;;
  missing_feature)
    expect_ok "$descent" fit "$configs/iris_keras3.json" --data "$datasets/iris.csv" --label species --epochs 1 \
      --out model
    cut -d, -f1,2,4,5 "$datasets/iris.csv" >three_features.csv
    expect_error 'missing the feature column "petal_length_cm"' -- \
      "$descent" predict model --data three_features.csv
    ;;
  unknown_class)
    expect_ok "$descent" fit "$configs/iris_keras3.json" --data "$datasets/iris.csv" --label species --epochs 1 \
      --out model
    { head -1 "$datasets/iris.csv"; echo "5.0,3.4,1.5,0.2,0"; echo "5.0,3.4,1.5,0.2,7"; } >seven.csv
    expect_error 'seven.csv:3' '"7" is not a class' '"0", "1", "2"' -- "$descent" evaluate model --data seven.csv
    ;;
  bad_flag)
    expect_error "--epochs" -- "$descent" fit "$configs/iris_keras3.json" --data "$datasets/iris.csv" \
      --label species --epochs many
    expect_error "--label is required" -- "$descent" fit "$configs/iris_keras3.json" --data "$datasets/iris.csv"
    expect_error "--scale" "minmax" -- "$descent" fit "$configs/iris_keras3.json" --data "$datasets/iris.csv" \
      --label species --scale cubic
    expect_error "Unknown optimizer" -- "$descent" fit "$configs/iris_keras3.json" --data "$datasets/iris.csv" \
      --label species --optimizer teleport
    expect_error "frobnicate" "not expected" -- "$descent" frobnicate
    ;;
  help)
    for command in "" fit evaluate predict summary split demo; do
      # shellcheck disable=SC2086
      expect_ok "$descent" $command --help
      grep -q "Usage:" out.txt || die "descent $command --help printed no usage"
    done
    grep -q -- "--validation-split" <("$descent" fit --help) || die "fit --help lacks --validation-split"
    ;;
  breast_cancer_round_trip)
    # README: 100 % (114 of 114) on this split; 0.98 allows two misses.
    round_trip "$datasets/breast_cancer.csv" "$configs/breast_cancer_keras3.json" malignant 0.98 50
    ;;
  iris_round_trip)
    # README: 96.7 % (29 of 30); 0.95 allows no further miss.
    round_trip "$datasets/iris.csv" "$configs/iris_keras3.json" species 0.95 50
    ;;
  tsv_label_index)
    # Breast cancer with the label moved to the front and tabs between the fields; --label 0 names it by index.
    # (The file's lines end in CRLF; the CR is dropped so it does not land inside the first field.)
    awk -F, '{ sub(/\r$/, ""); line = $NF; for (i = 1; i < NF; i++) line = line "\t" $i; print line }' \
      "$datasets/breast_cancer.csv" >tabs.tsv
    expect_ok "$descent" fit "$configs/breast_cancer_keras3.json" --data tabs.tsv --label 0 --scale minmax \
      --metrics accuracy,auc --batch-size 16 --epochs 20 --out model
    grep -q '30 features, minmax scaling; binary classifier of "malignant": 0, 1' out.txt ||
      die "fit did not take column 0 as the label with minmax scaling: $(cat out.txt)"
    grep -q 'Final epoch: .*accuracy [0-9.]* · auc [0-9.]*$' out.txt || die "no accuracy and auc: $(cat out.txt)"
    grep -q '"label_column": "malignant"' model/descent.json || die "descent.json does not name the label"
    grep -q '"class_name": "MinMaxScaler"' model/descent.json || die "descent.json has no MinMaxScaler"
    # The scaler's first data_min and data_range are mean_radius's minimum and max - min over all 569 rows.
    read -r lowest highest < <(awk -F, 'NR > 1 { if (NR == 2 || $1 < lo) lo = $1; if (NR == 2 || $1 > hi) hi = $1 }
      END { print lo, hi }' "$datasets/breast_cancer.csv")
    first_after() { awk -v key="\"$1\"" '$1 == key ":" { getline; gsub(/[ ,]/, ""); print; exit }' model/descent.json; }
    awk -v a="$(first_after data_min)" -v b="$lowest" 'BEGIN { d = a - b; exit !(d < 1e-4 && d > -1e-4) }' ||
      die "data_min[0] is $(first_after data_min); mean_radius's minimum is $lowest"
    awk -v a="$(first_after data_range)" -v b="$highest" -v c="$lowest" \
      'BEGIN { d = a - (b - c); exit !(d < 1e-4 && d > -1e-4) }' ||
      die "data_range[0] is $(first_after data_range); mean_radius spans $lowest to $highest"
    # Batches of 16: 20 epochs x ceil(569 / 16) = 20 x 36 = 720 steps (batches of 32 would give 360). iter is the
    # int32 right after the 513 float32 weights (30 x 16 + 16 + 16 x 1 + 1).
    grep -q '"name":"iter"' model/model.json || die "model.json saves no optimizer iter"
    iter=$(od -An -t d4 -j $((513 * 4)) -N 4 model/weights.bin | tr -d ' ')
    [ "$iter" = 720 ] || die "the optimizer took $iter steps; expected 720 batches of 16"
    expect_ok "$descent" predict model --data tabs.tsv --output predictions.csv
    [ "$(head -1 predictions.csv)" = "p_0,p_1,malignant" ] || die "unexpected header: $(head -1 predictions.csv)"
    [ "$(($(wc -l <predictions.csv) - 1))" -eq 569 ] || die "predictions.csv does not have 569 rows"
    # Three fields a row, p_0 + p_1 = 1, and the label is 1 exactly when p_1 > 0.5.
    awk -F, 'NR > 1 { s = $1 + $2; if (NF != 3 || s < 0.99999 || s > 1.00001 || $3 != ($2 > 0.5 ? "1" : "0")) {
      print "row " NR ": " $0; exit 1 } }' predictions.csv >bad_row.txt || die "bad prediction $(cat bad_row.txt)"
    measured=$(awk 'FNR == 1 { next } NR == FNR { split($0, f, ","); predicted[FNR] = f[3]; next }
      { split($0, f, "\t"); total++; if (f[1] == predicted[FNR]) right++ } END { printf "%.4f\n", right / total }' \
      predictions.csv tabs.tsv)
    echo "tab-separated breast cancer: predict's labels are right for $measured of the training rows"
    at_least "$measured" 0.95 || die "training accuracy $measured < 0.95"
    ;;
  same_seed)
    args=(fit "$configs/iris_keras3.json" --data "$datasets/iris.csv" --label species --epochs 5
      --validation-split 0.2 --verbose 0)
    expect_ok "$descent" "${args[@]}" --seed 11 --out first
    expect_ok "$descent" "${args[@]}" --seed 11 --out second
    for f in weights.bin model.json descent.json; do
      cmp first/$f second/$f || die "two fits with --seed 11 wrote different $f"
    done
    # The seed matters: another one gives other weights.
    expect_ok "$descent" "${args[@]}" --seed 12 --out other
    ! cmp -s first/weights.bin other/weights.bin || die "--seed 12 gave the same weights.bin as --seed 11"
    ;;
  tfjs_config)
    # The same split as breast_cancer_round_trip; 0.97 allows three misses.
    round_trip "$datasets/breast_cancer.csv" "$configs/breast_cancer_tfjs.json" malignant 0.97 50
    # The compile settings came from the TF.js trainingConfig (Momentum, learningRate 0.05, momentum 0.9) and are
    # saved back in TF.js's spelling.
    momentum='"optimizer_config":{"class_name":"Momentum","config":{"learningRate":0.05,"momentum":0.9,'
    momentum+='"useNesterov":false}}'
    grep -qF "$momentum" model/model.json || die "model.json does not keep the config's Momentum optimizer: $(head -c 600 model/model.json)"
    grep -qF '"loss":"binary_crossentropy"' model/model.json || die "model.json does not keep the config's loss"
    ;;
  string_labels)
    # Iris with species names, semicolons, quoted cells and the label first; one-hot targets through
    # categorical_crossentropy.
    awk -F, 'BEGIN { split("setosa versicolor virginica", name, " ") }
      NR == 1 { print "\"species\";" $1 ";" $2 ";" $3 ";" $4; next }
      { print "\"" name[$5 + 1] "\";" $1 ";" $2 ";" $3 ";" $4 }' "$datasets/iris.csv" >named.csv
    expect_ok "$descent" split named.csv --label species
    expect_ok "$descent" fit "$configs/iris_keras3.json" --data named_train.csv --label species \
      --loss categorical_crossentropy --epochs 60 --out model
    grep -q "setosa, versicolor, virginica" out.txt || die "fit does not name the classes: $(cat out.txt)"
    grep -q '"targets": "one_hot"' model/descent.json || die "categorical_crossentropy did not get one-hot targets"
    expect_ok "$descent" evaluate model --data named_test.csv
    grep -q "virginica" out.txt || die "evaluate does not name the classes: $(cat out.txt)"
    expect_ok "$descent" predict model --data named_test.csv --output predictions.csv
    head -1 predictions.csv | grep -q '^p_setosa,p_versicolor,p_virginica,species$' ||
      die "unexpected header: $(head -1 predictions.csv)"
    tr ';' ',' <named_test.csv | tr -d '"' >named_test_commas.csv
    measured=$(predicted_accuracy predictions.csv named_test_commas.csv species)
    echo "iris with names: predict's labels are right for $measured of the test rows"
    at_least "$measured" 0.90 || die "accuracy $measured < 0.90"
    ;;
  config_without_width)
    small_config
    expect_ok "$descent" summary small.json
    grep -q "takes it from the CSV" out.txt || die "summary does not say the width is open: $(cat out.txt)"
    # Two features, the label in the middle, an id column excluded.
    awk 'BEGIN { srand(3); print "id,a,label,b"; for (i = 0; i < 200; i++) { a = rand() * 2 - 1; b = rand() * 2 - 1;
      print i "," a "," (a + b > 0 ? "yes" : "no") "," b } }' >side.csv
    expect_ok "$descent" fit small.json --data side.csv --label label --exclude id --epochs 40 --learning-rate 0.05 --out model
    expect_ok "$descent" summary model
    grep -q "Features (2" out.txt || die "the model does not take 2 features: $(cat out.txt)"
    expect_ok "$descent" evaluate model --data side.csv
    accuracy=$(awk '$1 == "accuracy" { print $2 }' out.txt)
    at_least "$accuracy" 0.9 || die "a linearly separable set reached only $accuracy"
    ;;
  regression)
    cat >linear.json <<'EOF'
{"class_name": "Sequential", "config": {"name": "linear", "layers": [
  {"class_name": "Dense", "config": {"units": 1, "activation": "linear"}}]},
 "training_config": {"loss": "mean_squared_error", "metrics": ["mae"],
  "optimizer_config": {"class_name": "SGD", "config": {"learning_rate": 0.1}}}}
EOF
    # y = 2a - b + 1 exactly: a linear model fits it, so the error must fall near zero.
    awk 'BEGIN { srand(5); print "a,b,y"; for (i = 0; i < 100; i++) { a = rand(); b = rand();
      printf "%.6f,%.6f,%.6f\n", a, b, 2 * a - b + 1 } }' >line.csv
    expect_ok "$descent" fit linear.json --data line.csv --label y --epochs 200 --scale none --out model
    expect_ok "$descent" evaluate model --data line.csv
    loss=$(awk '$1 == "loss" { print $2 }' out.txt)
    awk -v l="$loss" 'BEGIN { exit !(l < 1e-3) }' || die "mse $loss on an exactly linear target"
    printf 'b,a\n0,0\n1,1\n' >two.csv
    expect_ok "$descent" predict model --data two.csv
    awk -F, 'NR == 1 { if ($0 != "y") exit 1; next }
      NR == 2 { if ($1 < 0.95 || $1 > 1.05) exit 1 } NR == 3 { if ($1 < 1.95 || $1 > 2.05) exit 1 }' out.txt ||
      die "predictions for (a, b) = (0, 0) and (1, 1) should be 1 and 2: $(cat out.txt)"
    printf 'a,b,y\n1,2,word\n' >words.csv
    expect_error "regression" "numeric labels" -- "$descent" fit linear.json --data words.csv --label y
    ;;
  diverges)
    # The regression case's line, on inputs up to 100, with a learning rate far too large: the loss overflows.
    linear_config
    awk 'BEGIN { srand(5); print "a,b,y"; for (i = 0; i < 100; i++) { a = rand() * 100; b = rand() * 100;
      printf "%.6f,%.6f,%.6f\n", a, b, 2 * a - b + 1 } }' >line.csv
    expect_ok "$descent" fit linear.json --data line.csv --label y --epochs 2 --scale standard --out model
    cp -r model before
    diverge=(fit linear.json --data line.csv --label y --epochs 100 --scale none --learning-rate 100 --out model
      --log log.csv)
    expect_error "training diverged in epoch" "batch" "lower the learning rate" -- \
      "$descent" "${diverge[@]}" --verbose 0
    # With progress lines, the error is still said, last.
    code=0
    "$descent" "${diverge[@]}" --verbose 2 >out.txt 2>err.txt || code=$?
    [ "$code" -eq 1 ] || die "expected exit code 1 from a diverged fit; got $code"
    tail -1 err.txt | grep -q "^error: fit: training diverged in epoch" || die "no divergence error: $(tail -2 err.txt)"
    diff -r before model >/dev/null || die "a diverged fit replaced the saved model"
    [ ! -e log.csv ] || die "a diverged fit wrote its log"
    ;;
  ctrl_c)
    # Ctrl-C stops after the current batch, saves what was trained and exits with 130.
    "$descent" fit "$configs/breast_cancer_keras3.json" --data "$datasets/breast_cancer.csv" --label malignant \
      --epochs 1000000 --verbose 2 --out model >out.txt 2>err.txt &
    pid=$!
    for _ in $(seq 600); do grep -q "^Epoch 3/" err.txt && break; sleep 0.1; done
    grep -q "^Epoch 3/" err.txt || { kill -9 $pid; die "training did not start: $(cat err.txt)"; }
    kill -INT $pid
    code=0
    wait $pid || code=$?
    [ "$code" -eq 130 ] || die "expected exit code 130 after Ctrl-C; got $code: $(tail -3 err.txt)"
    grep -q "^Interrupted: stopped after batch [0-9]* of [0-9]* in epoch [0-9]*\.$" err.txt ||
      die "no word of where training stopped: $(tail -3 err.txt)"
    grep -q "Training was interrupted (Ctrl-C)" out.txt || die "no word of the interruption: $(cat out.txt)"
    expect_ok "$descent" evaluate model --data "$datasets/breast_cancer.csv"
    grep -q "^accuracy" out.txt || die "the model saved after Ctrl-C does not evaluate: $(cat out.txt)"
    ;;
  plot_and_log)
    args=(fit "$configs/iris_keras3.json" --data "$datasets/iris.csv" --label species --epochs 5
      --validation-split 0.2 --out model)
    expect_ok "$descent" "${args[@]}" --log history.csv
    [ "$(head -1 history.csv)" = "epoch,loss,accuracy,val_loss,val_accuracy" ] ||
      die "log header: $(head -1 history.csv)"
    [ "$(wc -l <history.csv)" -eq 6 ] || die "expected 5 epochs in the log"
    if command -v gnuplot >/dev/null; then
      expect_ok "$descent" "${args[@]}" --plot curves.png
      [ "$(head -c 4 curves.png | tail -c 3)" = PNG ] || die "curves.png is not a PNG"
      [ ! -e curves.csv ] || die "--plot without --log wrote a log the user did not name"
      expect_ok "$descent" "${args[@]}" --plot curves.svg
      grep -q "<svg" curves.svg || die "curves.svg is not SVG"
    fi
    # Without gnuplot: a warning, the log, and success.
    rm -f curves.csv
    PATH=/nonexistent expect_ok "$descent" "${args[@]}" --plot nogp.png
    grep -q "gnuplot is not installed" err.txt || die "no warning about gnuplot: $(cat err.txt)"
    [ ! -e nogp.csv ] && [ ! -e nogp.png ] || die "expected neither nogp.csv nor nogp.png"
    expect_error "--plot" ".png or .svg" -- "$descent" "${args[@]}" --plot curves.jpg
    ;;
  demo)
    expect_ok "$descent"
    grep -q "Test accuracy" out.txt || die "no test accuracy: $(cat out.txt)"
    accuracy=$(sed -n 's/^Test accuracy: \([0-9.]*\) %.*/\1/p' out.txt)
    echo "demo test accuracy: $accuracy %"
    at_least "$accuracy" 95 || die "demo accuracy $accuracy % < 95 %"
    # stdout is a file here, so progress goes to stderr and the report stays clean.
    grep -q "Epoch 1/50" err.txt || die "no progress on stderr"
    ! grep -q "Epoch" out.txt || die "progress leaked into stdout"
    expect_error "missing.csv" -- "$descent" demo --data missing.csv
    ;;
  output_clashes)
    # No output may be an input or another output, however spelled; each refusal comes before any training and
    # leaves every file as it was.
    small_config
    printf 'a,b,c\n0,0,0\n1,1,1\n0,1,0\n1,0,1\n' >wine.csv
    sum=$(md5sum <wine.csv)
    mkdir tmp sub
    # --plot without --log draws from a temporary log: no wine.csv log replaces the training data, none is left.
    TMPDIR=$PWD/tmp expect_ok "$descent" fit small.json --data wine.csv --label c --epochs 1 --verbose 0 \
      --plot wine.png --out model
    [ "$(md5sum <wine.csv)" = "$sum" ] || die "fit --plot wine.png replaced wine.csv"
    [ -z "$(ls tmp)" ] || die "the temporary log was left behind: $(ls tmp)"
    ! grep -q "training log" out.txt || die "fit reported a log nobody asked for: $(cat out.txt)"
    TMPDIR=$PWD/tmp PATH=/nonexistent expect_ok "$descent" fit small.json --data wine.csv --label c --epochs 1 \
      --verbose 0 --plot wine.png --out model
    grep -q "pass --log" err.txt || die "the gnuplot warning does not say how to keep the log: $(cat err.txt)"
    [ "$(md5sum <wine.csv)" = "$sum" ] && [ -z "$(ls tmp)" ] || die "wine.csv changed or a temporary log remains"
    models=$(md5sum model/*)
    fit=(fit small.json --label c --epochs 1 --verbose 0)
    expect_error "--log: wine.csv is the same file as --data wine.csv" -- "$descent" "${fit[@]}" --data wine.csv \
      --log wine.csv
    expect_error "--log: ./sub/../wine.csv is the same file as --data wine.csv" -- "$descent" "${fit[@]}" \
      --data wine.csv --log ./sub/../wine.csv
    ln -s wine.csv link.csv
    expect_error "--log: link.csv is the same file as --data wine.csv" -- "$descent" "${fit[@]}" --data wine.csv \
      --log link.csv
    ln wine.csv hard.csv
    expect_error "--log: wine.csv is the same file as --data hard.csv" -- "$descent" "${fit[@]}" --data hard.csv \
      --log wine.csv
    expect_error "--log: small.json is the same file as CONFIG small.json" -- "$descent" "${fit[@]}" \
      --data wine.csv --log small.json
    expect_error "--log: curves.png is the same file as --plot curves.png" -- "$descent" "${fit[@]}" \
      --data wine.csv --log curves.png --plot curves.png
    expect_error "--log: model/log.csv lies inside the --out directory model" -- "$descent" "${fit[@]}" \
      --data wine.csv --log model/log.csv --out model
    expect_error "--out" "model/model.json" "CONFIG" -- "$descent" fit model/model.json --data wine.csv --label c \
      --epochs 1 --out model
    # predict and split: the same rules.
    expect_error "--output: wine.csv is the same file as --data wine.csv" -- "$descent" predict model \
      --data wine.csv --output wine.csv
    expect_error "--output: model/./weights.bin is the same file as DIR (weights.bin)" -- "$descent" predict model \
      --data wine.csv --output model/./weights.bin
    # Files in the model directory that are not the model's are no inputs: predictions may be written there.
    expect_ok "$descent" predict model --data wine.csv --output model/predictions.csv
    expect_ok "$descent" predict model --data wine.csv --output model/predictions.csv
    cp model/weights.bin model/extra.bin
    expect_error "--output: model/extra.bin is the same file as DIR (extra.bin)" -- "$descent" predict model \
      --data wine.csv --output model/extra.bin
    rm model/predictions.csv model/extra.bin
    expect_error "--train: wine.csv is the same file as DATA wine.csv" -- "$descent" split wine.csv \
      --train wine.csv --test t.csv
    expect_error "--train: x.csv is the same file as --test sub/../x.csv" -- "$descent" split wine.csv \
      --train x.csv --test sub/../x.csv
    [ "$(md5sum <wine.csv)" = "$sum" ] && [ "$(md5sum model/*)" = "$models" ] || die "a refused command wrote"
    [ ! -e x.csv ] && [ ! -e t.csv ] && [ ! -e curves.png ] && [ ! -e model/log.csv ] || die "a refused command wrote"
    ;;
  split_defaults)
    # Names split makes up never replace a file; names the user gives do.
    printf 'a,b\n1,0\n2,1\n3,0\n4,1\n5,0\n' >d.csv
    echo precious >d_test.csv
    expect_error "d_test.csv exists" "--train FILE --test FILE" -- "$descent" split d.csv
    [ "$(cat d_test.csv)" = precious ] && [ ! -e d_train.csv ] || die "split replaced d_test.csv or wrote d_train.csv"
    expect_ok "$descent" split d.csv --train d_train.csv --test d_test.csv
    # 5 rows, 20 % for testing: 1 test row and 4 training rows, each file with the header.
    [ "$(wc -l <d_train.csv)" -eq 5 ] && [ "$(wc -l <d_test.csv)" -eq 2 ] || die "unexpected split sizes"
    ;;
  split_pair)
    # The two files are replaced as a pair or not at all. Under a file-size limit of 1 block (512 or 1024 bytes),
    # the small file of a lopsided split can be written and the large one cannot; whichever comes second, the old
    # pair must stay as it was and no hidden file may remain.
    expect_ok "$descent" split "$datasets/iris.csv" --train tr.csv --test te.csv
    before=$(md5sum tr.csv te.csv)
    for size in 0.95 0.05; do
      code=0
      err=$( (ulimit -f 1; exec "$descent" split "$datasets/iris.csv" --train tr.csv --test te.csv --seed 7 \
        --test-size $size 2>&1 >/dev/null) ) || code=$?
      [ "$code" -ne 0 ] || die "split --test-size $size under a 1-block file-size limit succeeded"
      case "$err" in "error: split: "*"writing failed"*"Neither file was replaced."*) ;; *) die "message: $err" ;; esac
      [ "$(md5sum tr.csv te.csv)" = "$before" ] || die "a failed split (--test-size $size) changed the pair"
      [ -z "$(find . -name '.*split*')" ] || die "hidden files were left: $(find . -name '.*split*')"
    done
    expect_ok "$descent" split "$datasets/iris.csv" --train tr.csv --test te.csv --seed 7 --test-size 0.5
    # 150 rows: 75 and 75, and every row of the data in exactly one of them.
    [ "$(wc -l <tr.csv)" -eq 76 ] && [ "$(wc -l <te.csv)" -eq 76 ] || die "not 75 + 75 rows"
    [ "$( (tail -n +2 tr.csv; tail -n +2 te.csv) | sort | md5sum)" = "$(tail -n +2 "$datasets/iris.csv" | tr -d '\r' |
      sort | md5sum)" ] || die "the pair does not hold the data's rows"
    grep -q "never a new train file beside an old test file" <("$descent" split --help) ||
      die "split --help does not describe the pair"
    ;;
  logits_binary)
    # A linear last layer with BinaryCrossentropy(from_logits=true) is a binary classifier, as in Keras.
    logits_config 1 BinaryCrossentropy
    side_data
    expect_ok "$descent" fit logits.json --data side.csv --label label --exclude id --epochs 40 --out model
    grep -q 'binary classifier of "label": no, yes' out.txt || die "fit did not train a classifier: $(cat out.txt)"
    grep -q '"outputs": "logits"' model/descent.json || die "descent.json does not say the outputs are logits"
    expect_ok "$descent" predict model --data side.csv --output predictions.csv
    [ "$(head -1 predictions.csv)" = "p_no,p_yes,label" ] || die "header: $(head -1 predictions.csv)"
    check_probabilities predictions.csv
    measured=$(predicted_accuracy predictions.csv side.csv label)
    at_least "$measured" 0.9 || die "a linearly separable set reached only $measured"
    expect_ok "$descent" evaluate model --data side.csv
    grep -q 'binary classifier of "label" (logits, through a sigmoid)' out.txt || die "evaluate: $(cat out.txt)"
    grep -q "Confusion matrix" out.txt || die "no confusion matrix: $(cat out.txt)"
    # accuracy counts p > 0.5, as predict's labels do, not logits > 0.5.
    reported=$(awk '$1 == "accuracy" { print $2 }' out.txt)
    awk -v a="$measured" -v b="$reported" 'BEGIN { d = a - b; exit !(d < 1e-3 && d > -1e-3) }' ||
      die "predict ($measured) and evaluate ($reported) disagree"
    ;;
  logits_multiclass)
    # Linear last layers with (Sparse)CategoricalCrossentropy(from_logits=true): multi-class classifiers whose
    # predictions are softmax probabilities. (iris.csv's lines end in CRLF; the copy drops the CR for awk.)
    tr -d '\r' <"$datasets/iris.csv" >iris.csv
    for loss in SparseCategoricalCrossentropy CategoricalCrossentropy; do
      logits_config 3 $loss
      expect_ok "$descent" fit logits.json --data iris.csv --label species --epochs 60 --out model
      grep -q 'multi-class classifier of "species": 0, 1, 2' out.txt || die "$loss: $(cat out.txt)"
      expect_ok "$descent" predict model --data iris.csv --output predictions.csv
      [ "$(head -1 predictions.csv)" = "p_0,p_1,p_2,species" ] || die "header: $(head -1 predictions.csv)"
      check_probabilities predictions.csv
      measured=$(predicted_accuracy predictions.csv iris.csv species)
      at_least "$measured" 0.9 || die "$loss: training accuracy $measured < 0.9"
      expect_ok "$descent" evaluate model --data iris.csv
      grep -q 'multi-class classifier of "species" (logits, through a softmax)' out.txt || die "$(cat out.txt)"
    done
    grep -q '"targets": "one_hot"' model/descent.json || die "CategoricalCrossentropy did not get one-hot targets"
    ;;
  bad_labels)
    small_config
    # Integer labels are kept as class indices, so a column of zeros alone once passed for two classes.
    printf 'a,b,c\n1,2,0\n3,4,0\n5,6,0\n' >zeros.csv
    expect_error 'the label column "c" holds one class, "0", in all 3 rows' "binary classifier" "expects 2 classes" -- \
      "$descent" fit small.json --data zeros.csv --label c
    # sepal length has 35 distinct values in iris.csv, many of them fractions; the iris model has 3 softmax units.
    distinct=$(awk -F, 'NR > 1 { print $1 + 0 }' "$datasets/iris.csv" | sort -u | wc -l)
    [ "$distinct" -eq 35 ] || die "iris.csv has $distinct sepal lengths"
    expect_error 'the label column "sepal_length_cm" holds 35 distinct numbers' "continuous column" \
      "3 softmax units" "expects 3 classes" -- \
      "$descent" fit "$configs/iris_keras3.json" --data "$datasets/iris.csv" --label sepal_length_cm
    ;;
  descent_json)
    # descent.json is checked when loaded; each error names the field and what was expected.
    expect_ok "$descent" fit "$configs/iris_keras3.json" --data "$datasets/iris.csv" --label species --epochs 1 \
      --verbose 0 --out model
    cp model/descent.json good.json
    fresh() { cp good.json model/descent.json; }
    awk '/"mean": \[/ { print; getline; next } { print }' good.json >model/descent.json
    expect_error "model/descent.json: scaler.config.mean has 3 values; expected 4, one per feature column" -- \
      "$descent" predict model --data "$datasets/iris.csv"
    fresh && replace_after model/descent.json '"scale": [' '0,'
    expect_error 'scaler.config.scale[0] (feature "sepal_length_cm"): expected a positive number; received 0' -- \
      "$descent" predict model --data "$datasets/iris.csv"
    fresh && sed -i 's/"sepal_width_cm"/"sepal_length_cm"/' model/descent.json
    expect_error 'feature_columns: lists "sepal_length_cm" twice' -- "$descent" predict model --data "$datasets/iris.csv"
    fresh && sed -i 's/"task": "multiclass"/"task": "multi"/' model/descent.json
    expect_error 'task: expected one of "binary", "multiclass", "regression"; received "multi"' -- \
      "$descent" evaluate model --data "$datasets/iris.csv"
    fresh && sed -i 's/"task": "multiclass"/"task": "binary"/' model/descent.json
    expect_error 'classes has 3 classes; expected 2 for task "binary"' -- \
      "$descent" evaluate model --data "$datasets/iris.csv"
    # Class names from the file are shown escaped: ESC [ 2 J would clear the terminal.
    fresh && sed -i -e 's/"labels_are_numbers": true/"labels_are_numbers": false/' \
      -e 's/^\( *\)"[01]",$/\1"\\u001b[2J",/' model/descent.json
    expect_error 'classes: lists "\x1b[2J" twice' -- "$descent" predict model --data "$datasets/iris.csv"
    awk '/"classes": \[/ { print; getline; next } { print }' good.json >model/descent.json
    expect_error "classes has 2 classes, but the model's last layer 'dense_1' is 3 softmax units" -- \
      "$descent" predict model --data "$datasets/iris.csv"
    fresh && sed -i 's/"label_column": "species"/"label_column": "petal_width_cm"/' model/descent.json
    expect_error 'label_column: "petal_width_cm" is also listed in feature_columns' -- \
      "$descent" predict model --data "$datasets/iris.csv"
    # Without a scaler the feature count meets the model's input width.
    expect_ok "$descent" fit "$configs/iris_keras3.json" --data "$datasets/iris.csv" --label species --epochs 1 \
      --verbose 0 --scale none --out unscaled
    sed -i 's/"feature_columns": \[/"feature_columns": [ "extra",/' unscaled/descent.json
    expect_error "feature_columns lists 5 columns, but model.json takes 4 inputs" -- \
      "$descent" predict unscaled --data "$datasets/iris.csv"
    cp good.json model/descent.json
    expect_ok "$descent" predict model --data "$datasets/iris.csv"
    ;;
  metrics_list)
    side_data
    small_config
    expect_ok "$descent" fit small.json --data side.csv --label label --exclude id --epochs 2 --out model \
      --metrics " accuracy, auc "
    grep -q 'Final epoch: loss [0-9.]* · accuracy [0-9.]* · auc [0-9.]*$' out.txt || die "metrics: $(cat out.txt)"
    expect_error "--metrics" "empty name" -- "$descent" fit small.json --data side.csv --label label --exclude id \
      --metrics "accuracy, ,auc"
    # Precision, recall and AUC count one positive class: refused on a 3-class model, before training.
    for m in precision recall auc; do
      expect_error "--metrics: \"$m\"" "needs binary targets" "classifier for 3 classes" -- \
        "$descent" fit "$configs/iris_keras3.json" --data "$datasets/iris.csv" --label species --metrics "accuracy, $m"
      ! grep -q "Epoch" out.txt || die "trained before refusing $m"
    done
    ;;
  features_option)
    side_data
    small_config
    expect_ok "$descent" fit small.json --data side.csv --label label --features "b, a" --epochs 40 \
      --learning-rate 0.05 --out model
    grep -q "2 features" out.txt || die "fit: $(cat out.txt)"
    expect_ok "$descent" summary model
    grep -q "Features (2, matched by name, standard scaling): b a$" out.txt || die "summary: $(cat out.txt)"
    expect_ok "$descent" evaluate model --data side.csv
    accuracy=$(awk '$1 == "accuracy" { print $2 }' out.txt)
    at_least "$accuracy" 0.9 || die "a linearly separable set reached only $accuracy"
    expect_error "--features and --exclude" -- "$descent" fit small.json --data side.csv --label label \
      --features a,b --exclude id
    expect_error '--features: "label" is the label column' -- "$descent" fit small.json --data side.csv \
      --label label --features a,label
    expect_error '--features: "a" is listed twice' -- "$descent" fit small.json --data side.csv --label label \
      --features a,a
    expect_error "zzz" -- "$descent" fit small.json --data side.csv --label label --features a,zzz
    ;;
  regression_baseline)
    linear_config
    # y = 2a - b + 1 on a 5 x 5 grid of a, b in {0, .25, .5, .75, 1}, four times: the mean of y is 2(.5) - .5 + 1 = 1.5.
    awk 'BEGIN { print "a,b,y"; for (k = 0; k < 4; k++) for (i = 0; i < 5; i++) for (j = 0; j < 5; j++)
      printf "%.2f,%.2f,%.2f\n", i / 4, j / 4, 2 * i / 4 - j / 4 + 1 }' >grid.csv
    expect_ok "$descent" fit linear.json --data grid.csv --label y --epochs 200 --scale none --out model --verbose 0
    grep -q '"label_mean": 1.5' model/descent.json || die "descent.json does not keep the training mean"
    # Test rows y = 1, 3, 2: the model is near exact; the training mean 1.5 misses by .5, 1.5, .5: MAE 2.5/3 =
    # 0.8333, MSE (.25 + 2.25 + .25)/3 = 0.9167, RMSE 0.9574.
    printf 'a,b,y\n0,0,1\n1,0,3\n0.5,0,2\n' >test.csv
    expect_ok "$descent" evaluate model --data test.csv
    for key in loss mae rmse; do
      value=$(awk -v k=$key '$1 == k { print $2 }' out.txt)
      awk -v v="$value" 'BEGIN { exit !(v != "" && v < 0.05) }' || die "$key is '$value': $(cat out.txt)"
    done
    grep -qF "Baseline, always predicting the training mean 1.5: loss 0.9167 · mae 0.8333 · rmse 0.9574" out.txt ||
      die "baseline: $(cat out.txt)"
    # A file without the training mean falls back to the test rows' mean, 2: misses 1, 1, 0: MAE = MSE = 2/3,
    # RMSE 0.8165.
    grep -v label_mean model/descent.json >old.json && mv old.json model/descent.json
    expect_ok "$descent" evaluate model --data test.csv
    grep -qF "Baseline, always predicting the test rows' mean 2 (the training mean is not saved): loss 0.6667 · mae 0.6667 · rmse 0.8165" \
      out.txt || die "baseline without the training mean: $(cat out.txt)"
    ;;
  api_model)
    # A model saved without descent.json, as model.save writes it: the features are every column but the label,
    # unscaled, and numeric labels are class indices. Here fit's own model without its descent.json must give
    # the same answers as with it.
    expect_ok "$descent" fit "$configs/iris_keras3.json" --data "$datasets/iris.csv" --label species --epochs 30 \
      --scale none --verbose 0 --out model
    expect_ok "$descent" evaluate model --data "$datasets/iris.csv"
    with=$(grep -v "^Evaluated" out.txt)
    expect_ok "$descent" predict model --data "$datasets/iris.csv" --output with.csv
    rm model/descent.json
    expect_ok "$descent" evaluate model --data "$datasets/iris.csv" --label species
    grep -q "no descent.json" out.txt || die "evaluate does not say the columns were inferred: $(cat out.txt)"
    [ "$(grep -v "^Evaluated" out.txt)" = "$with" ] || die "evaluate differs without descent.json: $(cat out.txt)"
    expect_ok "$descent" predict model --data "$datasets/iris.csv" --label species --output without.csv
    cmp with.csv without.csv || die "predictions differ without descent.json"
    expect_error "has no descent.json" "5 columns" "takes 4 inputs" "--label" -- \
      "$descent" predict model --data "$datasets/iris.csv"
    expect_error "has no descent.json" "--label" -- "$descent" evaluate model --data "$datasets/iris.csv"
    expect_ok "$descent" summary model
    ;;
  early_path_errors)
    # Paths that cannot work are reported before training, naming the real cause.
    small_config
    printf 'a,b,c\n1,2,0\n3,4,1\n' >data.csv
    : >plain_file
    mkdir folder
    long=$(printf 'x%.0s' $(seq 300))
    fit=(fit small.json --data data.csv --label c --epochs 1)
    expect_error "--out" "is 300 bytes long" -- "$descent" "${fit[@]}" --out "$long"
    ! grep -q "Trained" out.txt || die "trained before refusing --out"
    # 240 bytes fit a 255-byte limit, but the hidden file written first takes a longer name.
    name=$(printf 'y%.0s' $(seq 236)).csv
    expect_error "--log" "is 240 bytes long" -- "$descent" "${fit[@]}" --log "$name"
    ! grep -q "Trained" out.txt || die "trained before refusing --log"
    expect_error "--plot" "is 304 bytes long" -- "$descent" "${fit[@]}" --plot "$long.png"
    expect_error "--log" "is 300 bytes long" -- "$descent" "${fit[@]}" --log "$long/log.csv"
    expect_error "--log: cannot write plain_file/log.csv: plain_file is not a directory" -- \
      "$descent" "${fit[@]}" --log plain_file/log.csv
    expect_error "--log: folder is a directory" -- "$descent" "${fit[@]}" --log folder
    expect_error "--data: folder/ is a directory" -- "$descent" fit small.json --data folder/ --label c
    expect_error "--data: data.csv/ ends in '/'" -- "$descent" fit small.json --data data.csv/ --label c
    expect_ok "$descent" "${fit[@]}" --out model --verbose 0
    expect_error "--data: folder is a directory" -- "$descent" evaluate model --data folder
    expect_error "--data: folder/ is a directory" -- "$descent" predict model --data folder/
    expect_error "--output" "is 300 bytes long" -- "$descent" predict model --data data.csv --output "$long"
    expect_error "DATA: folder/ is a directory" -- "$descent" split folder/
    expect_error "--train" "is 300 bytes long" -- "$descent" split data.csv --train "$long" --test t.csv
    ;;
  image_csv)
    # A convnet config (input (28, 28, 1)) trains on a CSV of 784 pixel columns, each row one image in reading
    # order; the pixels go in unscaled, for the config's Rescaling(1/255).
    fashion_csv 600 fashion.csv
    expect_ok "$descent" fit "$configs/fashion_mnist_cnn.json" --data fashion.csv --label label --epochs 3 \
      --validation-split 0.2 --out model
    grep -qF 'Trained 3 epochs on 480 rows of fashion.csv, validated on 120 (784 features, none scaling; ' out.txt &&
      grep -qF 'multi-class classifier of "label": 0, 1, 2, 3, 4, 5, 6, 7, 8, 9)' out.txt ||
      die "fit did not train the convnet on 784 unscaled columns: $(cat out.txt)"
    grep -q '"scaler": null' model/descent.json || die "descent.json has a scaler: $(cat model/descent.json)"
    expect_ok "$descent" evaluate model --data fashion.csv
    accuracy=$(awk '$1 == "accuracy" { print $2 }' out.txt)
    echo "image_csv: accuracy $accuracy on the 600 rows (3 epochs on 480)"
    # 0.73 measured; ten classes by chance is 0.1.
    at_least "$accuracy" 0.6 || die "the convnet reached only $accuracy"
    expect_ok "$descent" predict model --data fashion.csv --output predictions.csv
    measured=$(predicted_accuracy predictions.csv fashion.csv label)
    awk -v a="$measured" -v b="$accuracy" 'BEGIN { d = a - b; exit !(d < 1e-3 && d > -1e-3) }' ||
      die "predict ($measured) and evaluate ($accuracy) disagree"
    expect_ok "$descent" summary model
    grep -q 'conv2d (Conv2D) *│ (None, 26, 26, 16)' out.txt || die "summary lacks the conv layer: $(cat out.txt)"
    grep -qF 'Features (784, matched by name, none scaling): pixel1 pixel2' out.txt &&
      grep -qF 'pixel12 ... (784 in all)' out.txt || die "summary does not abbreviate the 784 features: $(cat out.txt)"
    # Keras 2's dialect declares the shape with batch_input_shape on the first layer; a flag's scaling is honoured.
    cat >keras2.json <<'END'
{"class_name": "Sequential", "config": {"name": "cnn", "layers": [
  {"class_name": "Conv2D", "config": {"filters": 4, "kernel_size": [5, 5], "strides": [3, 3], "activation": "relu",
                                      "batch_input_shape": [null, 28, 28, 1]}},
  {"class_name": "Flatten", "config": {}},
  {"class_name": "Dense", "config": {"units": 10, "activation": "softmax"}}]}}
END
    expect_ok "$descent" fit keras2.json --data fashion.csv --label label --epochs 1 --scale minmax --out model2
    grep -qF '(784 features, minmax scaling; multi-class' out.txt || die "--scale minmax was not used: $(cat out.txt)"
    ;;
  image_shape_mismatch)
    # 783 pixel columns for a (28, 28, 1) input: the error names the shape, its size and the column count.
    awk 'BEGIN { printf "label"; for (i = 1; i <= 783; i++) printf ",p%d", i; print ""
      for (r = 0; r < 4; r++) { printf "%d", r % 2; for (i = 1; i <= 783; i++) printf ",%d", i * r % 256; print "" } }' \
      >short.csv
    expect_error "fashion_mnist_cnn.json: the model's input shape (28, 28, 1) holds 784 values per sample" \
      "short.csv has 783 feature columns" "Expected 784 feature columns" -- \
      "$descent" fit "$configs/fashion_mnist_cnn.json" --data short.csv --label label
    ;;
  idx_round_trip)
    # IDX images and labels train the convnet as the same images as CSV columns do, bit for bit: the pixels in
    # reading order are the features.
    need_fashion
    train_idx=(--data "$fashion/train-images-idx3-ubyte.gz" --labels "$fashion/train-labels-idx1-ubyte.gz")
    test_idx=(--data "$fashion/t10k-images-idx3-ubyte.gz" --labels "$fashion/t10k-labels-idx1-ubyte.gz")
    expect_ok "$descent" fit "$configs/fashion_mnist_cnn.json" "${train_idx[@]}" --limit 500 --epochs 2 \
      --validation-split 0.2 --out model
    grep -qF "Trained 2 epochs on 400 images of $fashion/train-images-idx3-ubyte.gz, validated on 100" out.txt &&
      grep -qF "(labels $fashion/train-labels-idx1-ubyte.gz, 784 features, none scaling; multi-class" out.txt ||
      die "fit did not train on 500 IDX images: $(cat out.txt)"
    grep -qF '"pixel784"' model/descent.json && grep -qF '"label_column": "label"' model/descent.json ||
      die "descent.json does not name Kaggle's columns: $(cat model/descent.json)"
    fashion_csv 500 fashion.csv
    expect_ok "$descent" fit "$configs/fashion_mnist_cnn.json" --data fashion.csv --label label --epochs 2 \
      --validation-split 0.2 --out from_csv
    cmp -s model/weights.bin from_csv/weights.bin || die "IDX and CSV training gave different weights"
    cmp -s model/descent.json from_csv/descent.json || die "IDX and CSV training gave different descent.json"
    # The test images, the first 1000: evaluate and predict agree.
    expect_ok "$descent" evaluate model "${test_idx[@]}" --limit 1000
    grep -qF "on 1000 images of $fashion/t10k-images-idx3-ubyte.gz" out.txt || die "evaluate: $(cat out.txt)"
    accuracy=$(awk '$1 == "accuracy" { print $2 }' out.txt)
    echo "idx_round_trip: test accuracy $accuracy on 1000 images (2 epochs on 400)"
    # 0.64 measured; ten classes by chance is 0.1.
    at_least "$accuracy" 0.55 || die "the convnet reached only $accuracy"
    expect_ok "$descent" predict model --data "$fashion/t10k-images-idx3-ubyte.gz" --limit 1000 --output p.csv
    [ "$(wc -l <p.csv)" -eq 1001 ] || die "predict wrote $(wc -l <p.csv) lines; expected 1001"
    od -An -v -tu1 -w1 < <(zcat "$fashion/t10k-labels-idx1-ubyte.gz" | tail -c +9 | head -c 1000) | tr -d ' ' >truth.txt
    measured=$(awk -F, 'NR == FNR { truth[FNR] = $1; next } FNR > 1 { n++; right += $NF == truth[FNR - 1] }
      END { printf "%.4f\n", right / n }' truth.txt p.csv)
    awk -v a="$measured" -v b="$accuracy" 'BEGIN { d = a - b; exit !(d < 1e-3 && d > -1e-3) }' ||
      die "predict ($measured) and evaluate ($accuracy) disagree"
    # The model reads the CSV by Kaggle's column names, in any order; the CSV-trained model reads IDX images.
    expect_ok "$descent" predict model --data "$fashion/train-images-idx3-ubyte.gz" --limit 50 --output from_idx.csv
    head -51 fashion.csv >first50.csv
    reverse_columns first50.csv >reordered.csv
    expect_ok "$descent" predict model --data reordered.csv --output by_name.csv
    cmp -s from_idx.csv by_name.csv || die "predictions from IDX and from the CSV differ"
    expect_ok "$descent" evaluate from_csv "${test_idx[@]}" --limit 1000
    grep -qF "accuracy  $accuracy" out.txt || die "the CSV-trained model scores otherwise: $(cat out.txt)"
    ;;
  idx_errors)
    # Mixing up the options or the files stops before training, naming what is wrong.
    need_fashion
    images=$fashion/train-images-idx3-ubyte.gz labels=$fashion/train-labels-idx1-ubyte.gz
    config=$configs/fashion_mnist_cnn.json
    expect_error "--label names a CSV column" "holds IDX images" "--labels" -- \
      "$descent" fit "$config" --data "$images" --labels "$labels" --label label
    expect_error "--labels is required for IDX images" "train-images-idx3-ubyte.gz" -- \
      "$descent" fit "$config" --data "$images"
    printf 'a,b,label\n1,2,0\n3,4,1\n' >small.csv
    expect_error "--labels: names the IDX labels of IDX images, but --data small.csv is a CSV file" -- \
      "$descent" fit "$config" --data small.csv --labels "$labels"
    expect_error "train-labels-idx1-ubyte.gz: holds 60000 values of one dimension" "Give the images as --data" -- \
      "$descent" fit "$config" --data "$labels" --labels "$images"
    expect_error "train-images-idx3-ubyte.gz: expected one label per image" "60000 x 28 x 28" -- \
      "$descent" fit "$config" --data "$images" --labels "$images"
    expect_error "t10k-labels-idx1-ubyte.gz: 10000 labels for the 60000 images" -- \
      "$descent" fit "$config" --data "$images" --labels "$fashion/t10k-labels-idx1-ubyte.gz"
    expect_error "--limit: expected a number of samples >= 1; received 0" -- \
      "$descent" fit "$config" --data "$images" --labels "$labels" --limit 0
    expect_error "--features and --exclude pick the columns of a CSV file" -- \
      "$descent" fit "$config" --data "$images" --labels "$labels" --exclude pixel1
    # Two 32 x 32 images (raw IDX: magic, dimensions, then the bytes) for the (28, 28, 1) model.
    { printf '\x00\x00\x08\x03\x00\x00\x00\x02\x00\x00\x00\x20\x00\x00\x00\x20'; head -c 2048 /dev/zero; } >big.idx
    printf '\x00\x00\x08\x01\x00\x00\x00\x02\x01\x02' >two_labels.idx
    expect_error "fashion_mnist_cnn.json: the model's input shape (28, 28, 1) (784 values per sample)" \
      "the images of big.idx, each (32, 32) (1024 values)" -- \
      "$descent" fit "$config" --data big.idx --labels two_labels.idx
    ;;
  bad_idx)
    # Broken IDX files: each error names the file and what is wrong with it.
    need_fashion
    config=$configs/fashion_mnist_cnn.json labels=$fashion/train-labels-idx1-ubyte.gz
    head -c 3000 "$fashion/t10k-images-idx3-ubyte.gz" >cut.gz
    expect_error "cut.gz: the gzip stream is cut short" -- "$descent" fit "$config" --data cut.gz --labels "$labels"
    printf '\x00\x00\x08\x03\x00\x00\x00\x02\x00\x00\x00\x1c\x00\x00\x00\x1c' >short.idx
    head -c 1000 /dev/zero >>short.idx
    expect_error "short.idx: the data is truncated" "need 1568 data bytes after the 16-byte header" \
      "the file holds 1000" -- "$descent" fit "$config" --data short.idx --labels "$labels"
    printf '\x00\x00\x07\x03\x00\x00\x00\x02' >type.idx
    expect_error "type.idx: unknown IDX type byte 0x07" -- "$descent" fit "$config" --data type.idx --labels "$labels"
    printf 'label,pixel1\n3,0\n' | gzip >csv.gz
    expect_error "csv.gz: bad magic number" "expected an IDX file" -- \
      "$descent" fit "$config" --data csv.gz --labels "$labels"
    # Labels as float32: 1.5 is not a class; NaN is not a number at all (raw IDX, big-endian).
    { printf '\x00\x00\x08\x03\x00\x00\x00\x02\x00\x00\x00\x1c\x00\x00\x00\x1c'; head -c 1568 /dev/zero; } >two.idx
    printf '\x00\x00\x0d\x01\x00\x00\x00\x02\x00\x00\x00\x00\x3f\xc0\x00\x00' >fraction.idx
    expect_error 'holds 2 distinct numbers, fractions among them ("1.5" at fraction.idx: row 1)' -- \
      "$descent" fit "$config" --data two.idx --labels fraction.idx
    printf '\x00\x00\x0d\x01\x00\x00\x00\x02\x00\x00\x00\x00\x7f\xc0\x00\x00' >nan.idx
    expect_error "nan.idx: value nan at index 1 is not a finite number." -- \
      "$descent" fit "$config" --data two.idx --labels nan.idx
    # A label the model never saw, in evaluate.
    expect_ok "$descent" fit "$config" --data "$fashion/train-images-idx3-ubyte.gz" --labels "$labels" --limit 64 \
      --epochs 1 --out model --verbose 0
    printf '\x00\x00\x08\x01\x00\x00\x00\x02\x03\x0c' >twelve.idx
    expect_error 'twelve.idx: row 1: column "label": the label "12" is not a class the model was trained on' -- \
      "$descent" evaluate model --data two.idx --labels twelve.idx
    expect_error "--labels is required for IDX images" -- "$descent" evaluate model --data two.idx
    ;;
  readme_fashion_mnist)
    # The README's convnet run, its lines taken from README.md as they stand, run with this build's descent first on
    # the PATH; the test accuracy must reach the README's figure, give or take two points (another CPU may round
    # differently).
    need_fashion
    awk '/^```sh$/ { block = ""; inside = 1; next }
      /^```$/ && inside { inside = 0; if (block ~ /fashion_mnist_cnn.json/) printf "%s", block; next }
      inside { block = block $0 "\n" }' "$source_dir/README.md" >readme.sh
    grep -q 'descent evaluate' readme.sh || die "README.md has no sh block with fashion_mnist_cnn.json and evaluate"
    mkdir bin
    ln -s "$descent" bin/descent
    ln -s "$source_dir/examples" examples
    PATH="$PWD/bin:$PATH" bash -euo pipefail readme.sh >out.txt 2>err.txt || die "README run failed: $(cat err.txt)"
    grep -q "Trained 5 epochs on 2000 images of" out.txt || die "fit did not train on 2000 images: $(cat out.txt)"
    claimed=$(awk 'match($0, /classifies \*\*[0-9.]+ %\*\*/) { print substr($0, RSTART + 13, RLENGTH - 17); exit }' \
      "$source_dir/README.md")
    [ -n "$claimed" ] || die "README.md states no test accuracy for the run"
    measured=$(awk '$1 == "accuracy" { printf "%.1f\n", 100 * $2 }' out.txt)
    echo "readme_fashion_mnist: test accuracy $measured % (README: $claimed %)"
    at_least "$measured" "$(awk -v c="$claimed" 'BEGIN { print c - 2 }')" ||
      die "test accuracy $measured % is more than two points below the README's $claimed %"
    ;;
  *)
    die "unknown case"
    ;;
esac
echo "ok: $case_name"
