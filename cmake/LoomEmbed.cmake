# loom_embed_files(<out.cpp> <namespace> <function> FILES ...): compiles text files (zoo
# networks, preset accelerators) into the binary so `loom` works from any directory.
function(loom_embed_files out ns fn)
  cmake_parse_arguments(ARG "" "" "FILES" ${ARGN})
  string(REPLACE ";" "|" files "${ARG_FILES}")
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DNS=${ns} -DFN=${fn} "-DFILES=${files}"
            -P ${PROJECT_SOURCE_DIR}/cmake/LoomEmbedScript.cmake
    DEPENDS ${ARG_FILES} ${PROJECT_SOURCE_DIR}/cmake/LoomEmbedScript.cmake
    COMMENT "Embedding ${fn} files"
    VERBATIM)
endfunction()
